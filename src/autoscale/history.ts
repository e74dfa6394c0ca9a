/** Keeping the recent samples and scalings a decision needs (pure). */
import type { PoolState, Sample, ScaleEvent, ScalePolicy } from './types.ts';

/**
 * How far back samples and events matter for `policy`: the longest window, cooldown or limit,
 * plus a minute so that reasons can say how long a condition has held.
 */
export function memoryMs(policy: ScalePolicy): number {
  const d = (s: ScalePolicy['up']) =>
    Math.max(s.stabilizationMs, s.cooldownMs, s.limitReplicas === undefined ? 0 : s.limitPeriodMs);
  return Math.max(d(policy.up), d(policy.down)) + 60_000;
}

/** Appends a sample and drops those older than the policy needs (keeping at least two). */
export function withSample(
  samples: readonly Sample[],
  sample: Sample,
  policy: ScalePolicy,
): Sample[] {
  const keep = memoryMs(policy);
  const out = [...samples, sample];
  while (out.length > 2 && (out[0]?.at ?? sample.at) < sample.at - keep) out.shift();
  return out;
}

/** Appends a scaling and drops those older than the policy needs (keeping the last one). */
export function withEvent(
  events: readonly ScaleEvent[],
  event: ScaleEvent,
  policy: ScalePolicy,
): ScaleEvent[] {
  const keep = memoryMs(policy);
  const out = [...events, event];
  while (out.length > 1 && (out[0]?.at ?? event.at) < event.at - keep) out.shift();
  return out;
}

export const emptyState = (replicas: number): PoolState => ({ replicas, samples: [], events: [] });
