import type { KubeObject } from '../../model/object.ts';
import { conditionOf, conditionsOf, describeCondition, fieldAt, numberAt } from './fields.ts';
import { current, failed, inProgress, type Readiness } from './types.ts';

/**
 * The steps kstatus runs before any kind's rule (pkg/kstatus/status/generic.go): deletion,
 * observed generation, and the standard `Reconciling`/`Stalled` conditions. Returns undefined
 * when they do not decide.
 */
export function checkGeneric(obj: KubeObject): Readiness | undefined {
  if (obj.metadata.deletionTimestamp) return inProgress('being deleted');
  const observed = fieldAt(obj, 'status.observedGeneration');
  const generation = numberAt(obj, 'metadata.generation', 0);
  if (typeof observed === 'number' && observed !== generation) {
    return inProgress(
      `generation ${generation} not yet observed by its controller (observed ${observed})`,
    );
  }
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Reconciling' && c.status === 'True')
      return inProgress(`reconciling: ${describeCondition(c)}`);
    if (c.type === 'Stalled' && c.status === 'True')
      return failed(`stalled: ${describeCondition(c)}`);
  }
  return undefined;
}

/**
 * Kinds without a rule of their own (ConfigMaps, RBAC, custom resources...): a `Ready`
 * condition decides when present; otherwise the object is current as soon as it is applied.
 */
export function genericRule(obj: KubeObject): Readiness {
  const ready = conditionOf(obj, 'Ready');
  if (!ready) return current('applied');
  if (ready.status === 'True') return current('Ready');
  return inProgress(`not Ready: ${describeCondition(ready)}`);
}
