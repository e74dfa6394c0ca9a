import type { KubeObject } from '../../model/object.ts';
import { conditionOf, describeCondition, numberAt, stringAt } from './fields.ts';
import { explainPod, PodState } from './pods.ts';
import { isAdmissionDenial } from './deployment.ts';
import { explainWithPods, podsOf } from './workload-pods.ts';
import { current, failed, inProgress, type Readiness, type ReadinessContext } from './types.ts';

/** kstatus: a LoadBalancer Service needs a cluster IP; every other Service is current. */
export function serviceRule(obj: KubeObject): Readiness {
  if (stringAt(obj, 'spec.type') === 'LoadBalancer' && !stringAt(obj, 'spec.clusterIP'))
    return inProgress('LoadBalancer: cluster IP not yet allocated');
  return current(`${stringAt(obj, 'spec.type') ?? 'ClusterIP'} Service`);
}

/** A bare Pod: succeeded or running and Ready; failed when it failed or is stuck fatally. */
export function podRule(obj: KubeObject): Readiness {
  const e = explainPod(obj);
  switch (e.state) {
    case PodState.ready:
      return current('Running and Ready');
    case PodState.succeeded:
      return current('Succeeded');
    case PodState.fatal:
    case PodState.failed:
      return failed(e.blocking.message, e.blocking);
    default:
      return inProgress(e.blocking.message, e.blocking);
  }
}

/** A CustomResourceDefinition is ready once Established; refused names fail it. */
export function crdRule(obj: KubeObject): Readiness {
  const names = conditionOf(obj, 'NamesAccepted');
  if (names?.status === 'False') return failed(`names not accepted: ${describeCondition(names)}`);
  const established = conditionOf(obj, 'Established');
  if (established?.status === 'True') return current('Established');
  return inProgress('not yet Established');
}

/**
 * A PodDisruptionBudget is never awaited (kstatus waits for currentHealthy to reach
 * desiredHealthy): the workloads it protects are awaited instead, and a budget that cannot be
 * met (minAvailable above the replicas an autoscaler keeps) would otherwise hang the apply
 * until the deadline. The reason still says whether the budget is met.
 */
export function pdbRule(obj: KubeObject): Readiness {
  const healthy = numberAt(obj, 'status.currentHealthy', 0);
  const desired = numberAt(obj, 'status.desiredHealthy', 0);
  if (desired > healthy)
    return current(
      `budget not met yet: ${healthy}/${desired} healthy (not awaited: its workloads are)`,
    );
  return current(`budget met: ${healthy}/${desired} healthy`);
}

/** kstatus: a ReplicaSet is current when its replicas are all ready and available. */
export function replicaSetRule(obj: KubeObject, ctx: ReadinessContext): Readiness {
  const failure = conditionOf(obj, 'ReplicaFailure');
  if (failure?.status === 'True' && isAdmissionDenial(failure.message))
    return failed(`pods refused: ${describeCondition(failure)}`);
  const spec = numberAt(obj, 'spec.replicas', 1);
  const ready = numberAt(obj, 'status.readyReplicas', 0);
  const available = numberAt(obj, 'status.availableReplicas', 0);
  const labelled = numberAt(obj, 'status.fullyLabeledReplicas', 0);
  if (spec > labelled)
    return explainWithPods(`labelled: ${labelled}/${spec}`, podsOf(obj, ctx.pods));
  if (spec > available)
    return explainWithPods(`available: ${available}/${spec}`, podsOf(obj, ctx.pods));
  if (spec > ready) return explainWithPods(`ready: ${ready}/${spec}`, podsOf(obj, ctx.pods));
  return current(`${ready} replica(s) ready`);
}
