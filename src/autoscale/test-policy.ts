/**
 * The seed rule's policy with the documented defaults (docs/autoscale.md, ADR 0085: +2 above 10,
 * −1 below 2, 4 s up cooldown, 2 s down window, 10 s down cooldown), for the autoscaler's tests;
 * each test overrides what it is about.
 */
import type { ScalePolicy } from './types.ts';

export interface PolicyOverrides {
  min?: number;
  max?: number;
  upCooldownMs?: number;
  downStabilizationMs?: number;
  downCooldownMs?: number;
}

export function seedPolicy(o: PolicyOverrides = {}): ScalePolicy {
  return {
    pool: 'developer',
    min: o.min ?? 5,
    max: o.max ?? 20,
    rule: { type: 'threshold', upAbove: 10, downBelow: 2 },
    activation: 0,
    up: {
      step: 2,
      stepType: 'pods',
      stabilizationMs: 0,
      cooldownMs: o.upCooldownMs ?? 4_000,
      limitPeriodMs: 60_000,
    },
    down: {
      step: 1,
      stepType: 'pods',
      stabilizationMs: o.downStabilizationMs ?? 2_000,
      cooldownMs: o.downCooldownMs ?? 10_000,
      limitPeriodMs: 60_000,
    },
  };
}
