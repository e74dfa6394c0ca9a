/**
 * A Deployment's rollout observed at its source (ADR 0150): the ReplicaSets the Deployment
 * controller scales and the pods the ReplicaSet controller and the kubelet report. The
 * Deployment's status is the controller's summary of the same facts, written after them (its
 * client is rate-limited: 20 writes/s by default for all Deployments of a cluster), so during a
 * rollout of many Deployments it lags them by seconds. The criterion is ADR 0125's, unchanged:
 * every replica of the current template Ready and available, and no pod of another template
 * counted: the other ReplicaSets scaled to 0 and their pods terminating or gone.
 */
import type { KubeObject } from '../../model/object.ts';
import { fieldAt, numberAt, stringAt } from './fields.ts';
import { explainPod, PodState } from './pods.ts';
import { current, type Readiness, type ReadinessContext } from './types.ts';

const hashLabel = 'pod-template-hash';

/**
 * Current when the ReplicaSets and pods in `ctx` show the rollout complete; undefined when they
 * do not (or are not known): the Deployment's status then decides.
 */
export function observedRollout(obj: KubeObject, ctx: ReadinessContext): Readiness | undefined {
  const uid = stringAt(obj, 'metadata.uid');
  if (!uid || !ctx.replicaSets || !ctx.pods) return undefined;
  const owned = ctx.replicaSets.filter((rs) => ownedBy(rs, uid));
  const template = withoutHash(fieldAt(obj, 'spec.template'));
  const matching = owned.filter(
    (rs) => stableJson(withoutHash(fieldAt(rs, 'spec.template'))) === stableJson(template),
  );
  // The controller's own rule (EqualIgnoreHash); none yet, or a hash collision: not decided here.
  const newest = matching.length === 1 ? matching[0] : undefined;
  const newUid = newest && stringAt(newest, 'metadata.uid');
  if (!newest || !newUid) return undefined;
  const replicas = numberAt(obj, 'spec.replicas', 1);
  if (numberAt(newest, 'spec.replicas', -1) !== replicas) return undefined;
  const active = ctx.pods.filter((p) => ownedBy(p, newUid) && !p.metadata.deletionTimestamp);
  if (active.length !== replicas) return undefined;
  if (!availableAll(obj, newest, active, replicas)) return undefined;
  for (const rs of owned) {
    if (rs === newest) continue;
    if (numberAt(rs, 'spec.replicas', 0) !== 0) return undefined;
    const rsUid = stringAt(rs, 'metadata.uid');
    // The older ReplicaSet's pods are out of service once marked for deletion (ADR 0125).
    if (ctx.pods.some((p) => rsUid && ownedBy(p, rsUid) && !p.metadata.deletionTimestamp))
      return undefined;
  }
  return current(
    `available, ${replicas} replica(s) ready (seen on ReplicaSet ${newest.metadata.name}; older ReplicaSets at 0)`,
  );
}

/**
 * Every pod Ready; with `minReadySeconds`, available as the ReplicaSet controller counts it
 * (Ready for that long), which only its status says.
 */
function availableAll(
  deployment: KubeObject,
  rs: KubeObject,
  pods: readonly KubeObject[],
  replicas: number,
): boolean {
  if (!pods.every((p) => explainPod(p).state === PodState.ready)) return false;
  if (numberAt(deployment, 'spec.minReadySeconds', 0) <= 0) return true;
  const observed = numberAt(rs, 'status.observedGeneration', -1);
  return (
    observed >= numberAt(rs, 'metadata.generation', 0) &&
    numberAt(rs, 'status.availableReplicas', 0) >= replicas
  );
}

function ownedBy(obj: KubeObject, uid: string): boolean {
  const refs = obj.metadata.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => (r as { uid?: unknown }).uid === uid);
}

/** The pod template without the `pod-template-hash` label the controller adds to its copy. */
function withoutHash(template: unknown): unknown {
  if (template === null || typeof template !== 'object') return template;
  const t = template as { metadata?: { labels?: Record<string, unknown> } };
  const labels = t.metadata?.labels;
  if (!labels || !(hashLabel in labels)) return template;
  const { [hashLabel]: _hash, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}

/** JSON with object keys sorted, so two equal templates compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}
