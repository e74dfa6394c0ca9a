import type { KubeObject } from '../../model/object.ts';
import { arrayAt, conditionOf, fieldAt, numberAt, recordAt, stringAt } from './fields.ts';
import type { BlockingPod } from './types.ts';

/**
 * Container waiting reasons that will not resolve without a change to the object or the
 * registry, so waiting longer only wastes the user's time: the engine fails fast on them.
 */
export const fatalWaitingReasons = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'InvalidImageName',
] as const;

export function isFatalReason(reason: string): boolean {
  return (fatalWaitingReasons as readonly string[]).includes(reason);
}

export const PodState = {
  ready: 'ready',
  pending: 'pending',
  fatal: 'fatal',
  succeeded: 'succeeded',
  failed: 'failed',
} as const;
export type PodState = (typeof PodState)[keyof typeof PodState];

export interface PodExplanation {
  state: PodState;
  blocking: BlockingPod;
}

/** What a pod is doing, in the words a platform engineer would use. */
export function explainPod(pod: KubeObject): PodExplanation {
  const name = pod.metadata.name;
  const say = (state: PodState, reason: string, message: string): PodExplanation => ({
    state,
    blocking: { name, reason, message },
  });
  if (pod.metadata.deletionTimestamp) return say(PodState.pending, 'Terminating', 'terminating');
  const phase = stringAt(pod, 'status.phase') ?? 'Pending';
  if (phase === 'Succeeded') return say(PodState.succeeded, 'Succeeded', 'completed');
  if (phase === 'Failed') {
    const reason = stringAt(pod, 'status.reason') ?? 'Failed';
    return say(PodState.failed, reason, stringAt(pod, 'status.message') ?? `pod ${reason}`);
  }
  const waiting = firstWaiting(pod);
  if (waiting && isFatalReason(waiting.reason))
    return say(PodState.fatal, waiting.reason, waiting.text);
  const scheduled = conditionOf(pod, 'PodScheduled');
  if (scheduled?.status === 'False') {
    const reason = scheduled.reason ?? 'Unschedulable';
    return say(PodState.pending, reason, `${reason}: ${scheduled.message ?? 'not scheduled'}`);
  }
  if (waiting) return say(PodState.pending, waiting.reason, waiting.text);
  const ready = conditionOf(pod, 'Ready');
  if (phase === 'Running' && ready?.status === 'True') return say(PodState.ready, 'Ready', 'ready');
  if (phase === 'Running') {
    const notReady = notReadyContainers(pod);
    const what = notReady.length ? `containers not ready: ${notReady.join(', ')}` : 'not ready';
    return say(PodState.pending, 'NotReady', `${what} (readiness probe)`);
  }
  return say(PodState.pending, phase, phase === 'Pending' ? 'pending' : phase);
}

interface Waiting {
  reason: string;
  text: string;
}

function firstWaiting(pod: KubeObject): Waiting | undefined {
  const statuses = [
    ...arrayAt(pod, 'status.initContainerStatuses'),
    ...arrayAt(pod, 'status.containerStatuses'),
  ];
  let first: Waiting | undefined;
  for (const cs of statuses) {
    const waiting = recordAt(cs, 'state.waiting');
    const reason = waiting ? stringAt(waiting, 'reason') : undefined;
    if (!waiting || !reason) continue;
    const w = { reason, text: describeWaiting(cs, reason, stringAt(waiting, 'message')) };
    if (isFatalReason(reason)) return w;
    first ??= w;
  }
  return first;
}

function describeWaiting(cs: unknown, reason: string, message: string | undefined): string {
  const container = stringAt(cs, 'name') ?? '?';
  const parts = [`container ${container}: ${reason}`];
  if (message) parts.push(message);
  const last = recordAt(cs, 'lastState.terminated');
  if (last) {
    const lastReason = stringAt(last, 'reason') ?? 'terminated';
    parts.push(`last exit ${lastReason} (code ${numberAt(last, 'exitCode', -1)})`);
  }
  const restarts = numberAt(cs, 'restartCount', 0);
  if (restarts > 0) parts.push(`${restarts} restart${restarts === 1 ? '' : 's'}`);
  return parts.join('; ');
}

function notReadyContainers(pod: KubeObject): string[] {
  return arrayAt(pod, 'status.containerStatuses')
    .filter((cs) => fieldAt(cs, 'ready') !== true)
    .map((cs) => stringAt(cs, 'name') ?? '?');
}

const statePriority: Record<PodState, number> = {
  fatal: 0,
  failed: 1,
  pending: 2,
  ready: 3,
  succeeded: 4,
};

/**
 * The pod that best explains why a workload is not ready: a fatal one first, then a failed
 * one, then a pending one; ties broken by name so the answer is stable.
 */
export function mostBlockingPod(pods: readonly KubeObject[]): PodExplanation | undefined {
  const explained = pods
    .map(explainPod)
    .filter((e) => e.state !== PodState.ready && e.state !== PodState.succeeded);
  explained.sort(
    (a, b) =>
      statePriority[a.state] - statePriority[b.state] ||
      a.blocking.name.localeCompare(b.blocking.name),
  );
  return explained[0];
}

/** `pod api-7c9f-x2: container api: CrashLoopBackOff; ...` */
export function describeBlocking(b: BlockingPod): string {
  return `pod ${b.name}: ${b.message}`;
}
