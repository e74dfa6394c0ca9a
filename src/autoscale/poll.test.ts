import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activePollMs, isActive, pollIntervalMs } from './poll.ts';
import type { PoolState, ScalePolicy } from './types.ts';
import { seedPolicy } from './test-policy.ts';

const policy: ScalePolicy = seedPolicy({ min: 2, max: 5 });
const at = (replicas: number, depth: number | null): PoolState => ({
  replicas,
  samples: [depth === null ? { at: 1, reason: 'nats: connection refused' } : { at: 1, depth }],
  events: [],
});
const periods = { pollMs: 2_000, activePollMs: 1_000 };

test('a pool at rest is read every pollSeconds, an active one twice as often', () => {
  assert.equal(pollIntervalMs(at(2, 0), policy, periods), 2_000);
  // Above its minimum: it may scale down, the drain must be seen soon.
  assert.equal(pollIntervalMs(at(3, 0), policy, periods), 1_000);
  assert.equal(pollIntervalMs(at(3, 1), policy, periods), 1_000);
  // At its minimum with work queued: it may scale up.
  assert.equal(pollIntervalMs(at(2, 4), policy, periods), 1_000);
  assert.equal(pollIntervalMs(at(2, 40), policy, periods), 1_000);
});

test('an unknown reading or no reading yet is not activity: a failing source is not asked more', () => {
  assert.equal(isActive(at(4, null), policy), false);
  assert.equal(pollIntervalMs(at(4, null), policy, periods), 2_000);
  assert.equal(isActive({ replicas: 4, samples: [], events: [] }, policy), false);
});

test('without an active period the pool keeps its one period', () => {
  assert.equal(pollIntervalMs(at(3, 0), policy, { pollMs: 2_000 }), 2_000);
});

test('the active period is half the poll, at least 250 ms, never longer than the poll', () => {
  assert.equal(activePollMs(2_000), 1_000);
  assert.equal(activePollMs(30_000), 15_000);
  assert.equal(activePollMs(400), 250);
  assert.equal(activePollMs(200), 200);
});
