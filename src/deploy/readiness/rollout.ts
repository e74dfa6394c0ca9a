/**
 * A Deployment's rollout observed at its source (ADR 0150): the ReplicaSets the Deployment
 * controller scales and the pods the ReplicaSet controller and the kubelet report. The
 * Deployment's status is the controller's summary of the same facts, written after them (its
 * client is rate-limited: 20 writes/s by default for all Deployments of a cluster), so during a
 * rollout of many Deployments it lags them by seconds. The criterion is ADR 0125's, unchanged:
 * every replica of the current template Ready and available, and no pod of another template
 * counted: the other ReplicaSets scaled to 0 and their pods terminating or gone.
 */
import { canonicalJson } from '../../model/canonical-json.ts';
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
  const replicas = numberAt(obj, 'spec.replicas', 1);
  // Scaled to 0 every ReplicaSet is at 0: which one is current only the status says.
  if (!uid || replicas <= 0 || !ctx.replicaSets || !ctx.pods) return undefined;
  const owned = ctx.replicaSets.filter((rs) => ownedBy(rs, uid));
  // Cheap checks first (this runs on every change while a rollout is under way): one
  // ReplicaSet at the Deployment's replicas, every other one at 0.
  const scaled = owned.filter((rs) => numberAt(rs, 'spec.replicas', 0) !== 0);
  const newest = scaled.length === 1 ? scaled[0] : undefined;
  const newUid = newest && stringAt(newest, 'metadata.uid');
  if (!newest || !newUid || numberAt(newest, 'spec.replicas', -1) !== replicas) return undefined;
  const pods = ctx.pods.filter((p) => !p.metadata.deletionTimestamp);
  const active = pods.filter((p) => ownedBy(p, newUid));
  if (active.length !== replicas || !availableAll(obj, newest, active, replicas)) return undefined;
  // The older ReplicaSets' pods are out of service once marked for deletion (ADR 0125).
  const olderUids = owned.filter((rs) => rs !== newest).map((rs) => stringAt(rs, 'metadata.uid'));
  if (pods.some((p) => olderUids.some((u) => u && ownedBy(p, u)))) return undefined;
  // Last, the costly one: that ReplicaSet runs the Deployment's template (the controller's own
  // rule, EqualIgnoreHash), not the one being replaced.
  const template = canonicalJson(withoutHash(fieldAt(obj, 'spec.template')));
  if (canonicalJson(withoutHash(fieldAt(newest, 'spec.template'))) !== template) return undefined;
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
