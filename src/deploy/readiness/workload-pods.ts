import type { KubeObject } from '../../model/object.ts';
import { describeBlocking, mostBlockingPod, PodState } from './pods.ts';
import { selectPods } from './selector.ts';
import { failed, inProgress, type Readiness } from './types.ts';

/**
 * Turns a workload's not-yet-ready status into the final answer by looking at its pods: a
 * pod in a fatal state fails the workload at once; otherwise the most blocking pod is named.
 * `pods` are already narrowed to the workload's current revision where the kind allows it.
 */
export function explainWithPods(progress: string, pods: readonly KubeObject[]): Readiness {
  const worst = mostBlockingPod(pods);
  if (!worst) return inProgress(progress);
  const text = `${progress}; ${describeBlocking(worst.blocking)}`;
  return worst.state === PodState.fatal
    ? failed(text, worst.blocking)
    : inProgress(text, worst.blocking);
}

/** The workload's pods from the context, narrowed by `keep` (a revision filter). */
export function podsOf(
  workload: KubeObject,
  pods: readonly KubeObject[] | undefined,
  keep: (pod: KubeObject) => boolean = () => true,
): KubeObject[] {
  return selectPods(workload, pods ?? []).filter(keep);
}
