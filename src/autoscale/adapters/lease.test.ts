// Leadership on demand (ADR 0136) on the in-memory port with a manual clock: no Lease request
// while idle, renewals without reads while scaling, hand-back after the linger, one winner of
// two, takeover of a dead leader's lease within one lease duration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeApi } from '../../kube/api.ts';
import { MemoryKube } from '../../kube/memory/memory-kube.ts';
import { OnDemandLease } from './lease.ts';

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

/** A clock whose sleeps end only when the test advances past them. */
function steppedClock(start = Date.parse('2026-12-02T17:00:00Z')) {
  let t = start;
  const sleepers: { at: number; wake: () => void }[] = [];
  return {
    now: () => t,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((wake) => {
        if (signal?.aborted) return wake();
        const done = () => {
          signal?.removeEventListener('abort', done);
          wake();
        };
        sleepers.push({ at: t + ms, wake: done });
        signal?.addEventListener('abort', done, { once: true });
      }),
    /** Moves time forward, waking each sleeper at its own time, in order. */
    async advance(ms: number) {
      const end = t + ms;
      for (;;) {
        await flush();
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > end) break;
        sleepers.shift();
        t = Math.max(t, next.at);
        next.wake();
      }
      t = end;
      await flush();
    },
  };
}

/** The port as one replica sees it: its calls counted by verb, and a switch to cut it off. */
function replicaPort(kube: KubeApi) {
  const calls: string[] = [];
  const state = { down: false };
  const api = new Proxy(kube, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        calls.push(String(prop));
        if (state.down) return Promise.reject(new Error('connection refused'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { api, calls, state };
}

async function setup() {
  const clock = steppedClock();
  const kube = new MemoryKube({ now: () => clock.now() });
  await kube.create(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sys' } },
    { fieldManager: 't' },
  );
  const changes: string[] = [];
  const replica = (identity: string) => {
    const port = replicaPort(kube);
    const lease = new OnDemandLease(port.api, {
      namespace: 'sys',
      name: 'berth-autoscaler',
      identity,
      clock,
      leaseSeconds: 15,
      lingerMs: 60_000,
      onChange: (leader, why) =>
        changes.push(`${identity} ${leader ? 'leads' : 'follows'}: ${why}`),
    });
    return { lease, ...port };
  };
  const holder = async () =>
    (
      (
        await kube.get({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          namespace: 'sys',
          name: 'berth-autoscaler',
        })
      )?.spec as { holderIdentity?: string } | undefined
    )?.holderIdentity;
  return { clock, replica, holder, changes };
}

test('idle: no Lease request at all; scaling: renewals without reads; hand-back after the linger', async () => {
  const { clock, replica, holder } = await setup();
  const a = replica('a');
  await clock.advance(120_000);
  assert.deepEqual(a.calls, [], 'an idle replica never touches the Lease');
  assert.equal(a.lease.isLeader(), false);

  assert.equal(await a.lease.claim(), true, 'a claim takes the free lease');
  assert.deepEqual(a.calls, ['get', 'create']);
  assert.equal(await holder(), 'a');
  a.calls.length = 0;
  assert.equal(await a.lease.claim(), true);
  assert.deepEqual(a.calls, [], 'a claim while held costs nothing');

  // Scaling for 30 s (a claim every 10 s): renewed every 5 s by a patch, never a read.
  for (let i = 0; i < 3; i++) {
    await clock.advance(10_000);
    assert.equal(await a.lease.claim(), true);
  }
  assert.ok(a.calls.length >= 5 && a.calls.every((c) => c === 'patch'), a.calls.join(','));
  // 60 s without a claim: handed back, then silence.
  a.calls.length = 0;
  await clock.advance(65_000);
  assert.equal(await holder(), '', 'the lease was handed back');
  assert.equal(a.lease.isLeader(), false);
  const afterHandBack = a.calls.length;
  assert.ok(
    afterHandBack <= 13,
    `renewals until the linger, then the hand-back: ${a.calls.join(',')}`,
  );
  await clock.advance(300_000);
  assert.equal(a.calls.length, afterHandBack, 'no request after the hand-back');
  await a.lease.stop();
});

test('two replicas claim at once: exactly one writes; the other does not poll the held lease', async () => {
  const { clock, replica } = await setup();
  const a = replica('a');
  const b = replica('b');
  const [ra, rb] = await Promise.all([a.lease.claim(), b.lease.claim()]);
  assert.equal(Number(ra) + Number(rb), 1, 'exactly one leader');
  const [leader, other] = ra ? [a, b] : [b, a];
  other.calls.length = 0;
  await clock.advance(1_000);
  assert.equal(await other.lease.claim(), false);
  assert.deepEqual(other.calls, [], 'a follower re-reads a held lease at most every 5 s');
  await clock.advance(5_000);
  assert.equal(await leader.lease.claim(), true, 'the leader keeps it while scaling');
  assert.equal(await other.lease.claim(), false);
  assert.deepEqual(other.calls, ['get']);
  // Graceful stop hands the lease back: the other takes it at its next read.
  await leader.lease.stop();
  await clock.advance(5_000);
  assert.equal(await other.lease.claim(), true);
  await other.lease.stop();
});

test('a dead leader: it stops writing at 80 % of the lease, and the other takes over by 15 s', async () => {
  const { clock, replica, changes } = await setup();
  const a = replica('a');
  const b = replica('b');
  assert.equal(await a.lease.claim(), true);
  a.state.down = true; // a's API server connection is gone (or a is frozen)
  await clock.advance(11_000);
  assert.equal(a.lease.isLeader(), true, 'within 80 % of the last renewal');
  assert.equal(await b.lease.claim(), false);
  await clock.advance(1_500);
  assert.equal(a.lease.isLeader(), false, 'fenced before the lease can expire');
  await clock.advance(3_000);
  assert.equal(await b.lease.claim(), true, 'taken over once expired');
  assert.ok(
    changes.some((c) => /^b leads: took the lease \(take-over\)/.test(c)),
    changes.join('\n'),
  );
  a.state.down = false;
  assert.equal(await a.lease.claim(), false, 'the old leader learns it lost');
  await Promise.all([a.lease.stop(), b.lease.stop()]);
});
