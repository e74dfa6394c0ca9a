import type { KubeObject } from '../../model/object.ts';
import { conditionsOf, describeCondition, numberAt, stringAt } from './fields.ts';
import { observedRollout } from './rollout.ts';
import { explainWithPods, podsOf } from './workload-pods.ts';
import { current, failed, type Readiness, type ReadinessContext } from './types.ts';

const revisionAnnotation = 'deployment.kubernetes.io/revision';

/**
 * kstatus' Deployment rule: fails on ProgressDeadlineExceeded; current when status.replicas,
 * updated, available and ready reach spec.replicas with no extra pods, Progressing is
 * NewReplicaSetAvailable and Available is True. berth adds: pods of the current revision in a
 * fatal state fail it, and so does a ReplicaSet whose pods are refused by Pod Security; and the
 * same completion seen on its ReplicaSets and pods before the controller's status says so
 * (ADR 0150).
 */
export function deploymentRule(obj: KubeObject, ctx: ReadinessContext): Readiness {
  let progressing = false;
  let available = false;
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')
      return failed(`ProgressDeadlineExceeded: ${c.message ?? 'rollout stalled'}`);
    if (c.type === 'Progressing' && c.status === 'True' && c.reason === 'NewReplicaSetAvailable')
      progressing = true;
    if (c.type === 'Available' && c.status === 'True') available = true;
    if (c.type === 'ReplicaFailure' && c.status === 'True' && isAdmissionDenial(c.message))
      return failed(`pods refused: ${describeCondition(c)}`);
  }
  const spec = numberAt(obj, 'spec.replicas', 1);
  const replicas = numberAt(obj, 'status.replicas', 0);
  const updated = numberAt(obj, 'status.updatedReplicas', 0);
  const ready = numberAt(obj, 'status.readyReplicas', 0);
  const avail = numberAt(obj, 'status.availableReplicas', 0);
  const progress = (): string | undefined => {
    if (spec > replicas) return `replicas: ${replicas}/${spec}`;
    if (spec > updated) return `updated: ${updated}/${spec}`;
    if (replicas > spec) return `pending termination: ${replicas - spec}`;
    if (updated > avail) return `available: ${avail}/${updated}`;
    if (spec > ready) return `ready: ${ready}/${spec}`;
    if (!progressing) return 'new ReplicaSet not yet available';
    if (!available) return 'Deployment not Available';
    return undefined;
  };
  const waiting = progress();
  if (waiting === undefined) return current(`available, ${replicas} replica(s) ready`);
  const observed = observedRollout(obj, ctx);
  if (observed) return observed;
  const pods = podsOf(obj, ctx.pods, currentRevisionFilter(obj, ctx.replicaSets));
  return explainWithPods(waiting, pods);
}

/** Pod Security (or another admission plugin) refused the pods: no retry will fix that. */
export function isAdmissionDenial(message: string | undefined): boolean {
  return message !== undefined && message.includes('violates PodSecurity');
}

/** Keeps the pods of the ReplicaSet carrying the Deployment's current revision, when known. */
function currentRevisionFilter(
  deployment: KubeObject,
  replicaSets: readonly KubeObject[] | undefined,
): (pod: KubeObject) => boolean {
  const revision = deployment.metadata.annotations?.[revisionAnnotation];
  const uid = stringAt(deployment, 'metadata.uid');
  if (!revision || !uid || !replicaSets) return () => true;
  const rs = replicaSets.find(
    (r) => r.metadata.annotations?.[revisionAnnotation] === revision && ownedBy(r, uid),
  );
  const hash = rs?.metadata.labels?.['pod-template-hash'];
  if (!hash) return () => true;
  return (pod) => pod.metadata.labels?.['pod-template-hash'] === hash;
}

export function ownedBy(obj: KubeObject, uid: string): boolean {
  const refs = obj.metadata.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => (r as { uid?: unknown }).uid === uid);
}
