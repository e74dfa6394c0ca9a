import type { KubeObject } from '../../model/object.ts';
import { matchesLabels, nothing, selectorOfWorkload, type Selector } from '../../model/selector.ts';

/**
 * The pods of `pods` in the workload's namespace that its `spec.selector` selects. An absent
 * or empty selector selects no pods (apps/v1 rejects both), and so does a malformed one: the
 * API server never returns one, and waiting on "every pod" would be wrong.
 */
export function selectPods(workload: KubeObject, pods: readonly KubeObject[]): KubeObject[] {
  const selector = workloadSelector(workload);
  const ns = workload.metadata.namespace;
  return pods.filter(
    (p) => p.metadata.namespace === ns && matchesLabels(selector, p.metadata.labels ?? {}),
  );
}

function workloadSelector(workload: KubeObject): Selector {
  try {
    return selectorOfWorkload(workload);
  } catch (error) {
    void error; // malformed: selects nothing (see above)
    return nothing;
  }
}
