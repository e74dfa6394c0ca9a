/** Plain data of the scaling decision: the policy of a pool, what has been seen, what is decided. */

/** How one direction (up or down) moves. All times are milliseconds. */
export interface StepPolicy {
  /** Replicas per step, or percent of the current replicas (rounded up, at least 1). */
  step: number;
  stepType: 'pods' | 'percent';
  /** The condition must have held this long (over consecutive samples) before a step. */
  stabilizationMs: number;
  /** Least time since the last step in this direction (down: since any step). */
  cooldownMs: number;
  /** At most this many replicas added (or removed) within `limitPeriodMs`. Absent: no limit. */
  limitReplicas?: number;
  limitPeriodMs: number;
}

export type ScaleRule =
  /** The seed's rule: above `upAbove` pending → up; below `downBelow` → down. */
  | { type: 'threshold'; upAbove: number; downBelow: number }
  /** KEDA's rule: ceil(pending / perReplica) replicas. */
  | { type: 'target'; perReplica: number };

export interface ScalePolicy {
  /** The pool's name, the subject of every reason. */
  pool: string;
  min: number;
  max: number;
  rule: ScaleRule;
  /** A pool at zero wakes when the backlog exceeds this. */
  activation: number;
  up: StepPolicy;
  down: StepPolicy;
}

/** One reading: `depth` absent means unknown (then `reason` says why). */
export interface Sample {
  at: number;
  depth?: number;
  reason?: string;
}

/** A scaling this controller made. */
export interface ScaleEvent {
  at: number;
  from: number;
  to: number;
}

export interface PoolState {
  /** The Deployment's current spec.replicas. */
  replicas: number;
  /** Recent readings, oldest first; the last one is the current reading. */
  samples: readonly Sample[];
  /** Recent scalings, oldest first. */
  events: readonly ScaleEvent[];
  /** Pods by idleness (ADR 0087); absent: not known, scale-down is not limited by it. */
  pods?: { idle: number; busy: number };
}

export const ReasonCode = {
  scaleUp: 'scale-up',
  scaleDown: 'scale-down',
  wake: 'wake',
  belowMin: 'below-min',
  aboveMax: 'above-max',
  atMax: 'at-max',
  atMin: 'at-min',
  inBand: 'in-band',
  stabilizing: 'stabilizing',
  cooldown: 'cooldown',
  rateLimited: 'rate-limited',
  metricUnknown: 'metric-unknown',
  allBusy: 'all-busy',
  noDeployment: 'no-deployment',
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

export interface Decision {
  /** The replicas wanted now (equal to the current replicas when holding). */
  replicas: number;
  action: 'up' | 'down' | 'hold';
  code: ReasonCode;
  /** One sentence: "developer: 37 pending > 10 for 3 s, 5 → 7 replicas (+2, max 20)". */
  reason: string;
  /** The depth decided on; absent when unknown. */
  depth?: number;
}
