/**
 * The one readiness engine: kstatus-compatible rules per kind that say whether an applied
 * object is Current, InProgress or Failed, and why. Pure: plain objects in, plain objects out.
 */
import { groupKindOf } from '../../model/group-kind.ts';
import type { KubeObject } from '../../model/object.ts';
import { daemonSetRule } from './daemonset.ts';
import { deploymentRule } from './deployment.ts';
import { checkGeneric, genericRule } from './generic.ts';
import { jobRule } from './job.ts';
import { pvcRule } from './pvc.ts';
import { crdRule, pdbRule, podRule, replicaSetRule, serviceRule } from './simple-kinds.ts';
import { statefulSetRule } from './statefulset.ts';
import type { Readiness, ReadinessContext, ReadinessRule } from './types.ts';

export * from './types.ts';
export { explainPod, fatalWaitingReasons, isFatalReason } from './pods.ts';
export { selectPods } from './selector.ts';

/** The kinds with a rule of their own, keyed `group/Kind` (core group: `Kind`). */
export const readinessRules: Readonly<Record<string, ReadinessRule>> = {
  'apps/Deployment': deploymentRule,
  'apps/StatefulSet': statefulSetRule,
  'apps/DaemonSet': daemonSetRule,
  'apps/ReplicaSet': replicaSetRule,
  'batch/Job': jobRule,
  PersistentVolumeClaim: pvcRule,
  Service: serviceRule,
  Pod: podRule,
  'apiextensions.k8s.io/CustomResourceDefinition': crdRule,
  'policy/PodDisruptionBudget': pdbRule,
};

/**
 * Decides an object's readiness: the generic kstatus steps first (deletion, observed
 * generation, Reconciling/Stalled), then the kind's rule, else the generic Ready condition.
 */
export function assessReadiness(obj: KubeObject, ctx: ReadinessContext = {}): Readiness {
  const generic = checkGeneric(obj);
  if (generic) return generic;
  const rule = readinessRules[groupKindOf(obj)];
  return rule ? rule(obj, ctx) : genericRule(obj);
}

/** Whether the object is ready. */
export function isReady(obj: KubeObject, ctx: ReadinessContext = {}): boolean {
  return assessReadiness(obj, ctx).status === 'Current';
}
