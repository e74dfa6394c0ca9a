/**
 * Inventory and prune (pure): what a release held before, what it holds now, and what to delete,
 * in reverse dependency order. PersistentVolumeClaims and Namespaces are kept unless asked, since
 * deleting them deletes data (ADR 0065).
 */
import { planApply } from '../deploy/plan/index.ts';
import { groupKindOf } from '../model/group-kind.ts';
import type { KubeObject, ObjectRef } from '../model/object.ts';

/** Kinds never pruned without `--prune-volumes`: deleting them deletes data. */
const dataKinds: ReadonlySet<string> = new Set(['PersistentVolumeClaim', 'Namespace']);

/** `apps/Deployment/ns/name`: an object's identity whatever its API version. */
export function keyOf(ref: Pick<ObjectRef, 'apiVersion' | 'kind' | 'namespace' | 'name'>): string {
  return `${groupKindOf(ref)}/${ref.namespace ?? ''}/${ref.name}`;
}

export function toRef(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

export interface PrunePlan {
  /** To delete, in reverse dependency order (workloads first, namespaces last). */
  delete: ObjectRef[];
  /** Would be pruned, but are data (PVCs, Namespaces) and `--prune-volumes` was not given. */
  kept: ObjectRef[];
}

export interface PruneOptions {
  /** Also prune PersistentVolumeClaims and Namespaces. @default false */
  pruneVolumes?: boolean;
}

/**
 * The members of `previous` (recorded or found live) that `next` no longer holds. The result is
 * deterministic: the reverse of the apply order `planApply` gives.
 */
export function planPrune(
  previous: readonly ObjectRef[],
  next: readonly ObjectRef[],
  options: PruneOptions = {},
): PrunePlan {
  const wanted = new Set(next.map(keyOf));
  const seen = new Set<string>();
  const gone: KubeObject[] = [];
  for (const ref of previous) {
    const key = keyOf(ref);
    if (wanted.has(key) || seen.has(key)) continue;
    seen.add(key);
    gone.push(asObject(ref));
  }
  const ordered = planApply(gone)
    .phases.flatMap((p) => p.objects)
    .reverse()
    .map(toRef);
  const plan: PrunePlan = { delete: [], kept: [] };
  for (const ref of ordered) {
    if (!options.pruneVolumes && dataKinds.has(groupKindOf(ref))) plan.kept.push(ref);
    else plan.delete.push(ref);
  }
  return plan;
}

function asObject(ref: ObjectRef): KubeObject {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name },
  };
}
