/**
 * The scaling decision: pure, with the clock passed in. Holds whenever the metric is unknown,
 * stays within min..max, waits out stabilization windows and cooldowns, honours rate limits,
 * never removes a busy pod, and says why in one sentence (ADR 0085).
 */
import {
  ReasonCode,
  type Decision,
  type PoolState,
  type Sample,
  type ScalePolicy,
  type StepPolicy,
} from './types.ts';

type Direction = 'up' | 'down';

export function decideScale(state: PoolState, policy: ScalePolicy, now: number): Decision {
  const { pool, min, max } = policy;
  const n = state.replicas;
  const last = state.samples.at(-1);
  const hold = (code: ReasonCode, why: string, depth?: number): Decision => ({
    replicas: n,
    action: 'hold',
    code,
    reason: `${pool}: ${why}, holding ${n} replicas`,
    ...(depth !== undefined ? { depth } : {}),
  });
  // Bounds first: raising to min is safe even without a metric.
  if (n < min)
    return move(n, min, 'up', ReasonCode.belowMin, `${pool}: below min ${min}`, last?.depth);
  if (last?.depth === undefined)
    return hold(
      ReasonCode.metricUnknown,
      `queue depth unknown (${last?.reason ?? 'no reading yet'})`,
    );
  const depth = last.depth;
  if (n > max) return scaleDown(state, policy, depth, n - max, ReasonCode.aboveMax, hold);

  const want = wanted(policy, n, depth);
  if (want.direction === undefined) return hold(want.code, want.why, depth);
  const run = runOf(state.samples, (s) => wanted(policy, n, s).direction === want.direction);
  const step = want.direction === 'up' ? policy.up : policy.down;
  const held = now - run;
  const cond = held > 0 ? `${want.why} for ${seconds(held)}` : want.why;
  if (held < step.stabilizationMs)
    return hold(ReasonCode.stabilizing, `${cond} (needs ${seconds(step.stabilizationMs)})`, depth);
  const since = lastEventAt(state, want.direction);
  if (since !== undefined && now - since < step.cooldownMs)
    return hold(
      ReasonCode.cooldown,
      `${cond}, cooling down ${seconds(step.cooldownMs - (now - since))} more`,
      depth,
    );
  const allowed = allowedByLimit(state, step, want.direction, now);
  if (allowed <= 0)
    return hold(
      ReasonCode.rateLimited,
      `${cond}, but ${step.limitReplicas ?? 0} replicas per ${seconds(step.limitPeriodMs)} already ${want.direction === 'up' ? 'added' : 'removed'}`,
      depth,
    );
  let size = Math.min(stepSize(step, n), allowed, want.gap);
  if (want.direction === 'up') {
    size = Math.min(size, max - n);
    const code = n === 0 ? ReasonCode.wake : ReasonCode.scaleUp;
    return move(n, n + size, 'up', code, `${pool}: ${cond}`, depth, `max ${max}`);
  }
  return scaleDown(state, policy, depth, size, ReasonCode.scaleDown, hold, cond);
}

function scaleDown(
  state: PoolState,
  policy: ScalePolicy,
  depth: number,
  size: number,
  code: ReasonCode,
  hold: (code: ReasonCode, why: string, depth?: number) => Decision,
  cond = `above max ${policy.max}`,
): Decision {
  const n = state.replicas;
  let k = size;
  if (state.pods) {
    if (state.pods.idle === 0)
      return hold(ReasonCode.allBusy, `${cond}, but all ${state.pods.busy} pods are busy`, depth);
    k = Math.min(k, state.pods.idle);
  }
  return move(n, n - k, 'down', code, `${policy.pool}: ${cond}`, depth, `min ${policy.min}`);
}

function move(
  from: number,
  to: number,
  action: Direction,
  code: ReasonCode,
  head: string,
  depth: number | undefined,
  bound?: string,
): Decision {
  const delta = to - from;
  const signed = delta > 0 ? `+${delta}` : `−${-delta}`;
  const detail = bound ? `${signed}, ${bound}` : signed;
  return {
    replicas: to,
    action,
    code,
    reason: `${head}, ${from} → ${to} replicas (${detail})`,
    ...(depth !== undefined ? { depth } : {}),
  };
}

interface Want {
  direction?: Direction;
  /** How far the rule wants to move (before step and limits). */
  gap: number;
  code: ReasonCode;
  why: string;
}

/** What the rule wants for `depth` at `n` replicas, before windows and limits. */
export function wanted(policy: ScalePolicy, n: number, depth: number | undefined): Want {
  const { min, max, rule } = policy;
  if (depth === undefined) return { gap: 0, code: ReasonCode.metricUnknown, why: 'unknown' };
  const p = `${fmt(depth)} pending`;
  if (n === 0 && depth > policy.activation)
    return { direction: 'up', gap: max, code: ReasonCode.wake, why: `${p} > ${policy.activation}` };
  if (rule.type === 'threshold') {
    if (depth > rule.upAbove)
      return n >= max
        ? { gap: 0, code: ReasonCode.atMax, why: `${p} > ${rule.upAbove}, at max ${max}` }
        : {
            direction: 'up',
            gap: max - n,
            code: ReasonCode.scaleUp,
            why: `${p} > ${rule.upAbove}`,
          };
    if (depth < rule.downBelow) {
      const floor = depth > policy.activation ? Math.max(min, 1) : min;
      return n <= floor
        ? { gap: 0, code: ReasonCode.atMin, why: `${p} < ${rule.downBelow}, at min ${floor}` }
        : {
            direction: 'down',
            gap: n - floor,
            code: ReasonCode.scaleDown,
            why: `${p} < ${rule.downBelow}`,
          };
    }
    return {
      gap: 0,
      code: ReasonCode.inBand,
      why: `${p} within ${rule.downBelow}..${rule.upAbove}`,
    };
  }
  const raw = Math.ceil(depth / rule.perReplica);
  const target = Math.min(max, Math.max(min, raw, depth > policy.activation ? 1 : 0));
  const why = `${p} / ${rule.perReplica} per replica wants ${raw}`;
  if (target > n) return { direction: 'up', gap: target - n, code: ReasonCode.scaleUp, why };
  if (target < n) return { direction: 'down', gap: n - target, code: ReasonCode.scaleDown, why };
  const code = raw > max ? ReasonCode.atMax : raw < min ? ReasonCode.atMin : ReasonCode.inBand;
  return { gap: 0, code, why };
}

/** Start time of the run of consecutive samples (ending with the last) that satisfy `ok`. */
function runOf(samples: readonly Sample[], ok: (depth: number | undefined) => boolean): number {
  let start = samples.at(-1)?.at ?? 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i];
    if (!s || !ok(s.depth)) break;
    start = s.at;
  }
  return start;
}

function lastEventAt(state: PoolState, direction: Direction): number | undefined {
  for (let i = state.events.length - 1; i >= 0; i--) {
    const e = state.events[i];
    if (!e) continue;
    // A scale-down waits after any step; a scale-up only after the last scale-up.
    if (direction === 'down' || e.to > e.from) return e.at;
  }
  return undefined;
}

function allowedByLimit(state: PoolState, step: StepPolicy, d: Direction, now: number): number {
  if (step.limitReplicas === undefined) return Number.POSITIVE_INFINITY;
  let moved = 0;
  for (const e of state.events)
    if (now - e.at < step.limitPeriodMs)
      moved += Math.max(0, d === 'up' ? e.to - e.from : e.from - e.to);
  return step.limitReplicas - moved;
}

function stepSize(step: StepPolicy, n: number): number {
  if (step.stepType === 'pods') return step.step;
  return Math.max(1, Math.ceil((n * step.step) / 100));
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** `3 s`, `1.5 s`, `2 min`. */
export function seconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  if (s >= 120 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
