/** Shared, pure helpers for detectors: object lookup, owners, ages, fingerprints. */
import { createHash } from 'node:crypto';
import { groupKindOf as kindKey } from '../../model/group-kind.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { refOf } from '../../model/object.ts';
import type { ClusterState, Finding, Severity } from '../model.ts';

export {
  arrayAt,
  conditionOf,
  conditionsOf,
  describeCondition,
  fieldAt,
  numberAt,
  recordAt,
  stringAt,
} from '../../deploy/readiness/fields.ts';

export function list(state: ClusterState, key: string): readonly KubeObject[] {
  return state.objects[key] ?? [];
}

/** ms since `iso` at `now`; undefined when the time is missing or malformed. */
export function ageMs(iso: unknown, now: number): number | undefined {
  if (typeof iso !== 'string') return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : now - t;
}

export function fingerprintOf(detector: string, subject: ObjectRef, reason: string): string {
  const key = [detector, kindKey(subject), subject.namespace ?? '', subject.name, reason].join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  controller?: boolean;
}

function controllerOf(obj: KubeObject): OwnerRef | undefined {
  const refs = obj.metadata.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  const all = refs as OwnerRef[];
  return all.find((r) => r.controller) ?? all[0];
}

/**
 * The workload that owns `obj`, walking Pod → ReplicaSet → Deployment and Pod → Job → CronJob.
 * A ReplicaSet that is not in the state is resolved by name (`<deployment>-<pod-template-hash>`).
 */
export function ownerOf(state: ClusterState, obj: KubeObject): ObjectRef | undefined {
  const ns = obj.metadata.namespace;
  let owner = controllerOf(obj);
  if (!owner) return undefined;
  let ref: ObjectRef = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name };
  if (ns !== undefined) ref.namespace = ns;
  for (let depth = 0; depth < 3; depth++) {
    const key = kindKey(ref);
    if (key !== 'apps/ReplicaSet' && key !== 'batch/Job') return ref;
    const parentObj = list(state, key).find(
      (o) => o.metadata.name === ref.name && o.metadata.namespace === ns,
    );
    owner = parentObj ? controllerOf(parentObj) : undefined;
    if (!owner && key === 'apps/ReplicaSet') {
      const hash = obj.metadata.labels?.['pod-template-hash'];
      if (hash && ref.name.endsWith(`-${hash}`))
        owner = {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: ref.name.slice(0, -hash.length - 1),
        };
    }
    if (!owner) return ref;
    ref = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name };
    if (ns !== undefined) ref.namespace = ns;
  }
  return ref;
}

export interface FindingInput {
  severity: Severity;
  object: KubeObject | ObjectRef;
  reason: string;
  message: string;
  evidence?: string[];
  owner?: ObjectRef | undefined;
  node?: string | undefined;
  excerpt?: string | undefined;
  termination?: Finding['termination'];
}

/** Builds a finding; its fingerprint is over the owner when there is one, else the object. */
export function finding(detector: string, f: FindingInput): Finding {
  const object = 'metadata' in f.object ? refOf(f.object) : f.object;
  const out: Finding = {
    detector,
    severity: f.severity,
    object,
    reason: f.reason,
    message: f.message,
    evidence: f.evidence ?? [],
    fingerprint: fingerprintOf(detector, f.owner ?? object, f.reason),
  };
  if (f.owner) out.owner = f.owner;
  if (f.node) out.node = f.node;
  if (f.excerpt) out.excerpt = f.excerpt;
  if (f.termination) out.termination = f.termination;
  return out;
}

/** `ns/name`. */
export function nsName(obj: KubeObject): string {
  return obj.metadata.namespace
    ? `${obj.metadata.namespace}/${obj.metadata.name}`
    : obj.metadata.name;
}

/** Per-container statuses of a pod (init containers first). */
export function containerStatuses(pod: KubeObject): Record<string, unknown>[] {
  const status = (
    pod as { status?: { initContainerStatuses?: unknown; containerStatuses?: unknown } }
  ).status;
  const out: Record<string, unknown>[] = [];
  for (const list of [status?.initContainerStatuses, status?.containerStatuses])
    if (Array.isArray(list)) out.push(...(list as Record<string, unknown>[]));
  return out;
}

/** `2d 3h`, `14m`, `35s`. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
