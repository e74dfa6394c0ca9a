import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideScale } from './decide.ts';
import { withEvent, withSample } from './history.ts';
import type { PoolState, Sample, ScaleEvent, ScalePolicy } from './types.ts';
import { seedPolicy } from './test-policy.ts';

const seed: ScalePolicy = seedPolicy();
const NOW = 100_000;
/** Samples every 1 s ending at NOW: `depths` oldest first (null = unknown). */
const seen = (...depths: (number | null)[]): Sample[] =>
  depths.map((d, i) => ({
    at: NOW - (depths.length - 1 - i) * 1000,
    ...(d === null ? { reason: 'nats VAPORA_TASKS/developer: connection refused' } : { depth: d }),
  }));
const state = (replicas: number, samples: Sample[], extra: Partial<PoolState> = {}): PoolState => ({
  replicas,
  samples,
  events: [],
  ...extra,
});
const up = (at: number, from: number, to: number): ScaleEvent => ({ at: NOW - at, from, to });

interface Case {
  name: string;
  state: PoolState;
  policy?: Partial<ScalePolicy>;
  replicas: number;
  code: string;
  reason?: string;
}

const cases: Case[] = [
  {
    name: 'the seed rule: above 10 → +2, with the reason',
    state: state(5, seen(37, 37, 37, 37)),
    replicas: 7,
    code: 'scale-up',
    reason: 'developer: 37 pending > 10 for 3 s, 5 → 7 replicas (+2, max 20)',
  },
  {
    name: 'a single reading above is enough (no up window)',
    state: state(5, seen(3, 11)),
    replicas: 7,
    code: 'scale-up',
    reason: 'developer: 11 pending > 10, 5 → 7 replicas (+2, max 20)',
  },
  { name: 'never above max', state: state(19, seen(60)), replicas: 20, code: 'scale-up' },
  {
    name: 'at max: hold',
    state: state(20, seen(60)),
    replicas: 20,
    code: 'at-max',
    reason: 'developer: 60 pending > 10, at max 20, holding 20 replicas',
  },
  {
    name: 'in the band: hold',
    state: state(7, seen(5)),
    replicas: 7,
    code: 'in-band',
    reason: 'developer: 5 pending within 2..10, holding 7 replicas',
  },
  {
    name: 'below 2 for the window → −1',
    state: state(7, seen(0, 0, 0)),
    replicas: 6,
    code: 'scale-down',
    reason: 'developer: 0 pending < 2 for 2 s, 7 → 6 replicas (−1, min 5)',
  },
  {
    name: 'below 2 but not for the window yet: hold',
    state: state(7, seen(8, 0, 1)),
    replicas: 7,
    code: 'stabilizing',
    reason: 'developer: 1 pending < 2 for 1 s (needs 2 s), holding 7 replicas',
  },
  { name: 'never below min', state: state(5, seen(0, 0, 0)), replicas: 5, code: 'at-min' },
  {
    name: 'unknown metric: hold, never down, and say why',
    state: state(9, seen(0, 0, null)),
    replicas: 9,
    code: 'metric-unknown',
    reason:
      'developer: queue depth unknown (nats VAPORA_TASKS/developer: connection refused), holding 9 replicas',
  },
  { name: 'no reading yet: hold', state: state(9, []), replicas: 9, code: 'metric-unknown' },
  {
    name: 'an unknown reading breaks the window',
    state: state(7, seen(0, null, 0)),
    replicas: 7,
    code: 'stabilizing',
  },
  {
    name: 'below min is raised even without a metric',
    state: state(1, seen(null)),
    replicas: 5,
    code: 'below-min',
    reason: 'developer: below min 5, 1 → 5 replicas (+4)',
  },
  {
    name: 'above max (scaled by hand) comes down',
    state: state(23, seen(4)),
    replicas: 20,
    code: 'above-max',
  },
  {
    name: 'up cooldown',
    state: state(7, seen(37), { events: [up(2000, 5, 7)] }),
    replicas: 7,
    code: 'cooldown',
    reason: 'developer: 37 pending > 10, cooling down 2 s more, holding 7 replicas',
  },
  {
    name: 'after the up cooldown: next step',
    state: state(7, seen(37), { events: [up(4000, 5, 7)] }),
    replicas: 9,
    code: 'scale-up',
  },
  {
    name: 'down waits its cooldown after any step (also up)',
    state: state(9, seen(0, 0, 0), { events: [up(5000, 7, 9)] }),
    replicas: 9,
    code: 'cooldown',
  },
  {
    name: 'rate limit: at most 4 added per minute',
    state: state(9, seen(40), { events: [up(30_000, 5, 7), up(20_000, 7, 9)] }),
    policy: { up: { ...seed.up, limitReplicas: 4 } },
    replicas: 9,
    code: 'rate-limited',
    reason: 'developer: 40 pending > 10, but 4 replicas per 60 s already added, holding 9 replicas',
  },
  {
    name: 'rate limit trims the step',
    state: state(7, seen(40), { events: [up(30_000, 5, 7)] }),
    policy: { up: { ...seed.up, limitReplicas: 3 } },
    replicas: 8,
    code: 'scale-up',
  },
  {
    name: 'percent steps round up',
    state: state(10, seen(40)),
    policy: { up: { ...seed.up, step: 25, stepType: 'percent' } },
    replicas: 13,
    code: 'scale-up',
  },
  {
    name: 'all pods busy: no scale-down, and the reason says so',
    state: state(7, seen(0, 0, 0), { pods: { idle: 0, busy: 7 } }),
    replicas: 7,
    code: 'all-busy',
    reason: 'developer: 0 pending < 2 for 2 s, but all 7 pods are busy, holding 7 replicas',
  },
  {
    name: 'scale-down removes at most the idle pods',
    state: state(9, seen(0, 0, 0), { pods: { idle: 1, busy: 8 } }),
    policy: { down: { ...seed.down, step: 3 } },
    replicas: 8,
    code: 'scale-down',
  },
  {
    name: 'target rule: ceil(37 / 10) = 4',
    state: state(1, seen(37)),
    policy: { rule: { type: 'target', perReplica: 10 }, min: 1, up: { ...seed.up, step: 10 } },
    replicas: 4,
    code: 'scale-up',
    reason: 'developer: 37 pending / 10 per replica wants 4, 1 → 4 replicas (+3, max 20)',
  },
  {
    name: 'target rule: the step caps the jump',
    state: state(1, seen(90)),
    policy: { rule: { type: 'target', perReplica: 10 }, min: 1 },
    replicas: 3,
    code: 'scale-up',
  },
  {
    name: 'target rule: down to what the backlog needs',
    state: state(6, seen(20, 20, 20)),
    policy: { rule: { type: 'target', perReplica: 10 }, min: 1, down: { ...seed.down, step: 10 } },
    replicas: 2,
    code: 'scale-down',
  },
  {
    name: 'wake from zero on any backlog',
    state: state(0, seen(1)),
    policy: { min: 0 },
    replicas: 2,
    code: 'wake',
    reason: 'developer: 1 pending > 0, 0 → 2 replicas (+2, max 20)',
  },
  {
    name: 'never to zero while something is pending',
    state: state(1, seen(1, 1, 1)),
    policy: { min: 0 },
    replicas: 1,
    code: 'at-min',
  },
  {
    name: 'to zero when empty (min 0)',
    state: state(1, seen(0, 0, 0)),
    policy: { min: 0 },
    replicas: 0,
    code: 'scale-down',
  },
];

for (const c of cases)
  test(`decideScale: ${c.name}`, () => {
    const d = decideScale(c.state, { ...seed, ...c.policy }, NOW);
    assert.equal(d.replicas, c.replicas, d.reason);
    assert.equal(d.code, c.code, d.reason);
    if (c.reason) assert.equal(d.reason, c.reason);
    assert.equal(
      d.action,
      d.replicas > c.state.replicas ? 'up' : d.replicas < c.state.replicas ? 'down' : 'hold',
    );
  });

test('a run of the seed rule: 60 pending climbs +2 per cooldown to max, drains −1 per cooldown', () => {
  let s: PoolState = { replicas: 5, samples: [], events: [] };
  const trail: number[] = [5];
  for (let t = 0; t <= 120_000; t += 2000) {
    const depth = t < 40_000 ? 60 : 0;
    s = { ...s, samples: withSample(s.samples, { at: t, depth }, seed) };
    const d = decideScale(s, seed, t);
    if (d.replicas !== s.replicas) {
      s = {
        ...s,
        replicas: d.replicas,
        events: withEvent(s.events, { at: t, from: s.replicas, to: d.replicas }, seed),
      };
      trail.push(d.replicas);
    }
    assert.ok(d.replicas >= 5 && d.replicas <= 20);
  }
  assert.deepEqual(trail, [5, 7, 9, 11, 13, 15, 17, 19, 20, 19, 18, 17, 16, 15, 14, 13, 12]);
});

test('history keeps only what the policy needs', () => {
  let samples: Sample[] = [];
  for (let t = 0; t < 100_000; t += 2000) samples = withSample(samples, { at: t, depth: 1 }, seed);
  assert.ok(samples.length <= 37, `kept ${samples.length}`);
  let events: ScaleEvent[] = [];
  for (let t = 0; t < 10_000_000; t += 10_000)
    events = withEvent(events, { at: t, from: 1, to: 2 }, seed);
  assert.ok(events.length <= 8, `kept ${events.length}`);
});
