import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideLock, leaseExpiry, leaseSpec, microTime, readLease } from './lock.ts';

const t0 = Date.parse('2026-12-02T11:00:00.000Z');

test('lock: free, ours, alive, expired', () => {
  assert.deepEqual(decideLock(undefined, 'me', t0), { action: 'acquire' });
  assert.deepEqual(decideLock({}, 'me', t0), { action: 'acquire' });
  const held = {
    holder: 'other',
    operation: 'apply',
    renewTime: microTime(t0),
    durationSeconds: 30,
  };
  assert.deepEqual(decideLock({ ...held, holder: 'me' }, 'me', t0 + 5000), { action: 'renew' });
  assert.deepEqual(decideLock(held, 'me', t0 + 29_999), {
    action: 'wait',
    holder: 'other',
    operation: 'apply',
    expiresAt: t0 + 30_000,
  });
  assert.deepEqual(decideLock(held, 'me', t0 + 30_000), {
    action: 'take-over',
    previousHolder: 'other',
    expiredAt: t0 + 30_000,
  });
});

test('lock: expiry counts from the last renewal, else the acquisition', () => {
  assert.equal(
    leaseExpiry({ holder: 'a', acquireTime: microTime(t0), durationSeconds: 10 }),
    t0 + 10_000,
  );
  assert.equal(
    leaseExpiry({
      holder: 'a',
      acquireTime: microTime(t0),
      renewTime: microTime(t0 + 5000),
      durationSeconds: 10,
    }),
    t0 + 15_000,
  );
  assert.equal(leaseExpiry({ acquireTime: microTime(t0) }), 0);
});

test('lock: the Lease spec round-trips through readLease, in MicroTime', () => {
  const spec = leaseSpec('me', {
    acquiredAt: t0,
    now: t0 + 1000,
    durationSeconds: 15,
    transitions: 2,
  });
  assert.equal(spec.renewTime, '2026-12-02T11:00:01.000000Z');
  const state = readLease({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'l', annotations: { 'berth.dev/operation': 'rollback' } },
    spec,
  });
  assert.deepEqual(state, {
    holder: 'me',
    operation: 'rollback',
    acquireTime: '2026-12-02T11:00:00.000000Z',
    renewTime: '2026-12-02T11:00:01.000000Z',
    durationSeconds: 15,
    transitions: 2,
  });
});
