import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryKube } from '../../kube/memory/index.ts';
import { readLease } from '../lock.ts';
import { acquireLock, forceUnlock, leaseRef, ReleaseLockedError, type LockClock } from './lease.ts';

const release = { name: 'demo', namespace: 'default' };

async function memoryKube(): Promise<MemoryKube> {
  const api = new MemoryKube();
  await api.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    { fieldManager: 'test' },
  );
  return api;
}

function fakeClock(start: number): LockClock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: (ms: number) => {
      c.t += ms;
      return Promise.resolve();
    },
  };
  return c;
}

test('lock: a second taker waits, then fails naming the holder', async () => {
  const api = await memoryKube();
  const clock = fakeClock(Date.now());
  const first = await acquireLock(api, release, {
    operation: 'apply',
    deadline: clock.t + 60_000,
    identity: 'ana@laptop',
    clock,
  });
  let waitedFor = '';
  await assert.rejects(
    acquireLock(api, release, {
      operation: 'rollback',
      deadline: clock.t + 5_000,
      identity: 'bob@ci',
      clock,
      onWait: (holder, op) => (waitedFor = `${holder} ${op}`),
    }),
    (error: unknown) =>
      error instanceof ReleaseLockedError &&
      error.holder === 'ana@laptop' &&
      /locked by ana@laptop \(apply\)/.test(error.message) &&
      /--force-unlock/.test(error.message),
  );
  assert.equal(waitedFor, 'ana@laptop apply');
  await first.release();
  assert.equal(await api.get(leaseRef(release)), undefined);
  const second = await acquireLock(api, release, {
    operation: 'rollback',
    deadline: clock.t + 1000,
    identity: 'bob@ci',
    clock,
  });
  assert.equal(second.holder, 'bob@ci');
  await second.release();
});

test('lock: a dead holder (no renewals) loses the lock when it expires', async () => {
  const api = await memoryKube();
  const clock = fakeClock(Date.now());
  const start = clock.t;
  // A holder that was SIGKILLed: its lease stays, nobody renews it.
  await acquireLock(api, release, {
    operation: 'apply',
    deadline: clock.t + 1000,
    identity: 'dead',
    clock,
    leaseSeconds: 15,
  });
  let previous = '';
  const next = await acquireLock(api, release, {
    operation: 'apply',
    deadline: clock.t + 60_000,
    identity: 'alive',
    clock,
    onTakeOver: (p) => (previous = p),
  });
  assert.equal(previous, 'dead');
  // The injected clock moves only when the lock sleeps: measured against its own start (the wall
  // clock also moved while the test ran, by more on a loaded machine).
  assert.ok(clock.t - start >= 15_000, `waited for the expiry (${clock.t - start} ms)`);
  const lease = await api.get(leaseRef(release));
  assert.equal(lease && readLease(lease).holder, 'alive');
  assert.equal(lease && readLease(lease).transitions, 1);
  await next.release();
});

test('lock: --force-unlock removes whoever holds it', async () => {
  const api = await memoryKube();
  await acquireLock(api, release, {
    operation: 'apply',
    deadline: Date.now() + 1000,
    identity: 'stuck',
  });
  assert.equal(await forceUnlock(api, release), 'stuck');
  assert.equal(await forceUnlock(api, release), undefined);
});
