import type { KubeObject } from '../../model/object.ts';
import { fieldAt, numberAt } from './fields.ts';
import { explainWithPods, podsOf } from './workload-pods.ts';
import { current, inProgress, type Readiness, type ReadinessContext } from './types.ts';

/**
 * kstatus' DaemonSet rule: the controller must have observed it (observedGeneration and
 * desiredNumberScheduled present), then current, updated, available and ready reach desired.
 */
export function daemonSetRule(obj: KubeObject, ctx: ReadinessContext): Readiness {
  if (typeof fieldAt(obj, 'status.observedGeneration') !== 'number')
    return inProgress('not yet observed by its controller');
  const desired = numberAt(obj, 'status.desiredNumberScheduled', -1);
  if (desired < 0) return inProgress('desiredNumberScheduled not yet set');
  const counts: readonly [string, number][] = [
    ['scheduled', numberAt(obj, 'status.currentNumberScheduled', 0)],
    ['updated', numberAt(obj, 'status.updatedNumberScheduled', 0)],
    ['available', numberAt(obj, 'status.numberAvailable', 0)],
    ['ready', numberAt(obj, 'status.numberReady', 0)],
  ];
  const short = counts.find(([, n]) => n < desired);
  if (!short) return current(`all ${desired} daemon pod(s) ready`);
  return explainWithPods(`${short[0]}: ${short[1]}/${desired}`, podsOf(obj, ctx.pods));
}
