/**
 * How often a pool's queue is read (ADR 0156), pure. At rest (at or below its minimum, queue
 * empty) every `pollSeconds`; while it is active (above its minimum, so it may scale down, or
 * with work queued) twice as often, so that a drained queue is seen within half a poll and the
 * 2 s down window (which still needs consecutive readings below the threshold across its whole
 * length) ends about one poll after the drain instead of two. An unknown reading is not
 * activity: a source that cannot be read is not asked more often.
 */
import type { PoolState, ScalePolicy } from './types.ts';

/** The shortest active poll: reads are cheap, but not free for the store. */
export const MIN_ACTIVE_POLL_MS = 250;

/** The poll period while a pool is active, from its `pollSeconds` period. */
export function activePollMs(pollMs: number): number {
  return Math.min(pollMs, Math.max(MIN_ACTIVE_POLL_MS, Math.round(pollMs / 2)));
}

/** True while the pool may move soon: replicas above its minimum, or something queued. */
export function isActive(state: PoolState, policy: ScalePolicy): boolean {
  const depth = state.samples.at(-1)?.depth;
  if (depth === undefined) return false;
  return depth > 0 || state.replicas > policy.min;
}

/** Milliseconds from the start of this round to the start of the next. */
export function pollIntervalMs(
  state: PoolState,
  policy: ScalePolicy,
  periods: { pollMs: number; activePollMs?: number },
): number {
  return isActive(state, policy) ? (periods.activePollMs ?? periods.pollMs) : periods.pollMs;
}
