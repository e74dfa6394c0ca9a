/**
 * Applying one object as an actor (its field manager): namespace placement as kubectl does,
 * drift reporting (ADR 0030: a forced apply first tries without force; the conflicts the server
 * lists are the fields it takes back, and from whom), and autoscaled workloads created at their
 * minimum with the replicas then left to the autoscaler (ADR 0064).
 */
import { managedFieldsOf } from '../model/managed-fields.ts';
import type { ApplyResult, CallOptions, KubeApi } from '../kube/api.ts';
import { ConflictError } from '../kube/errors.ts';
import type { KubeObject } from '../model/object.ts';
import { refOf } from '../model/object.ts';
import type { DriftedField } from './events.ts';
import { leavesReplicas, replicasOnly, withReplicas, type Autoscaled } from './replicas.ts';

export interface ApplyObjectOptions extends CallOptions {
  fieldManager: string;
  force: boolean;
  dryRun: boolean;
  /** Set for a workload an autoscaler of the same apply scales. */
  autoscaled?: Autoscaled;
}

export interface AppliedObject extends ApplyResult {
  /** Fields taken back from other managers (or that would be, in a dry run). */
  drift: DriftedField[];
  /** Replicas set at creation for an autoscaled workload. */
  createdAtReplicas?: number;
}

/** The field manager that owns `spec.replicas` of an autoscaled workload from its creation. */
export function replicasManager(fieldManager: string): string {
  return `${fieldManager}-replicas-on-create`;
}

/** Sets the namespace the server will use (the context's for namespaced kinds without one). */
export async function placeObject(
  api: KubeApi,
  obj: KubeObject,
  bounds: CallOptions,
): Promise<KubeObject> {
  const resource = await api.resource(obj.apiVersion, obj.kind, bounds);
  if (!resource) return obj;
  const metadata = { ...obj.metadata };
  if (resource.namespaced) metadata.namespace ??= api.defaultNamespace;
  else delete metadata.namespace;
  return { ...obj, metadata };
}

export async function applyObject(
  api: KubeApi,
  obj: KubeObject,
  options: ApplyObjectOptions,
): Promise<AppliedObject> {
  const bounds: CallOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
  };
  const write = { ...bounds, fieldManager: options.fieldManager, dryRun: options.dryRun };
  const min = options.autoscaled?.minReplicas;
  const live =
    min !== undefined && leavesReplicas(obj) ? await api.get(refOf(obj), bounds) : undefined;
  if (min !== undefined && leavesReplicas(obj) && !live) {
    // Created at the minimum; a second manager co-owns the replicas, so berth can release them.
    const created = await api.apply(withReplicas(obj, min), { ...write, force: options.force });
    if (options.dryRun) return { ...created, drift: [], createdAtReplicas: min };
    await api.apply(replicasOnly(obj, min), {
      ...write,
      fieldManager: replicasManager(options.fieldManager),
      force: true,
    });
    const released = await api.apply(obj, { ...write, force: options.force });
    return { ...released, created: true, drift: [], createdAtReplicas: min };
  }
  if (live && min !== undefined && !options.dryRun)
    await keepReplicasOwned(api, obj, live, min, write, options.fieldManager);
  if (!options.force) return { ...(await api.apply(obj, { ...write, force: false })), drift: [] };
  try {
    return { ...(await api.apply(obj, { ...write, force: false })), drift: [] };
  } catch (error) {
    if (!(error instanceof ConflictError) || error.causes.length === 0) throw error;
    const drift = error.causes.map((c) => ({
      field: (c.field ?? '').replace(/^\./, ''),
      manager: /"([^"]+)"/.exec(c.message ?? '')?.[1] ?? 'another manager',
    }));
    return { ...(await api.apply(obj, { ...write, force: true })), drift };
  }
}

/**
 * A run killed between the create at the minimum and the hand-over leaves `spec.replicas` owned by
 * berth alone; releasing it then would drop the field (back to 1). So before the release, when no
 * other manager owns the replicas, the create-time manager takes them at max(live, minimum).
 */
async function keepReplicasOwned(
  api: KubeApi,
  obj: KubeObject,
  live: KubeObject,
  min: number,
  write: CallOptions & { fieldManager: string; dryRun?: boolean },
  fieldManager: string,
): Promise<void> {
  const owners = managedFieldsOf(live).filter((e) => {
    const spec = (e.fieldsV1 as Record<string, Record<string, unknown> | undefined> | undefined)?.[
      'f:spec'
    ];
    return spec !== undefined && 'f:replicas' in spec;
  });
  if (owners.some((e) => e.manager !== fieldManager)) return;
  const replicas = Math.max((live.spec as { replicas?: number } | undefined)?.replicas ?? 0, min);
  await api.apply(replicasOnly(obj, replicas), {
    ...write,
    fieldManager: replicasManager(fieldManager),
    force: true,
  });
}
