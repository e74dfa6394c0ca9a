import type { KubeObject } from '../../model/object.ts';
import { conditionsOf, describeCondition, numberAt } from './fields.ts';
import { explainWithPods, podsOf } from './workload-pods.ts';
import { current, failed, type Readiness, type ReadinessContext } from './types.ts';

/**
 * A Job is ready when it has completed (Complete=True) and failed when Failed=True. This is
 * stricter than kstatus, which calls a started Job current: berth waits for a migration Job
 * to finish before calling the apply done, as Helm's --wait-for-jobs and kapp do. Pods of the
 * Job in a fatal state (an image that cannot be pulled) fail it at once.
 */
export function jobRule(obj: KubeObject, ctx: ReadinessContext): Readiness {
  if (
    obj.spec !== null &&
    typeof obj.spec === 'object' &&
    (obj.spec as { suspend?: unknown }).suspend === true
  )
    return current('suspended: runs when resumed');
  const parallelism = numberAt(obj, 'spec.parallelism', 1);
  const completions = numberAt(obj, 'spec.completions', parallelism);
  const succeeded = numberAt(obj, 'status.succeeded', 0);
  for (const c of conditionsOf(obj)) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return current(`completed: ${succeeded}/${completions} succeeded`);
    if (c.type === 'Failed') return failed(`Job failed: ${describeCondition(c)}`);
  }
  const active = numberAt(obj, 'status.active', 0);
  const failedPods = numberAt(obj, 'status.failed', 0);
  const progress = `running: ${succeeded}/${completions} succeeded, ${active} active, ${failedPods} failed`;
  return explainWithPods(progress, podsOf(obj, ctx.pods));
}
