// The controller on the in-memory port: scales through /scale as berth-autoscaler, holds on an
// unknown depth, marks idle pods before a scale-down and never removes a busy one, and only the
// leader writes. Leader election: exactly one of two electors leads; the other takes over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldManager } from '../../kube/api.ts';
import { MemoryKube } from '../../kube/memory/index.ts';
import { FIELD_MANAGER } from '../names.ts';
import type { Depth, Source } from '../../sources/index.ts';
import { AutoscaleController, type PoolTarget } from './controller.ts';
import { LeaseElector, type Clock } from '../../kube/leader.ts';
import { AutoscaleMetrics } from './metrics.ts';
import type { ScalePolicy } from '../types.ts';
import { seedPolicy } from '../test-policy.ts';

const policy: ScalePolicy = seedPolicy({
  upCooldownMs: 0,
  downStabilizationMs: 0,
  downCooldownMs: 0,
});
const source: Source = {
  kind: 'nats',
  url: 'nats://x',
  stream: 'VAPORA_TASKS',
  consumer: 'developer',
};
const target: PoolTarget = { name: 'developer', namespace: 'agents', policy, source, pollMs: 2000 };

function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    sleep: async () => {
      await new Promise((r) => setImmediate(r));
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

const clock = manualClock();

async function cluster(replicas: number, busy: string[] = []): Promise<MemoryKube> {
  const kube = new MemoryKube({ now: () => clock.now() });
  const w = { fieldManager: 'berth-test' };
  await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'agents' } }, w);
  await kube.create(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'developer', namespace: 'agents' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'developer' } },
        template: { metadata: { labels: { app: 'developer' } }, spec: { containers: [] } },
      },
    },
    w,
  );
  for (let i = 0; i < replicas; i++) {
    const name = `developer-${i}`;
    await kube.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: 'agents',
          labels: { app: 'developer' },
          creationTimestamp: `2026-01-01T00:00:0${i}Z`,
          ...(busy.includes(name) ? { annotations: { 'berth.dev/busy': 'true' } } : {}),
        },
        spec: {},
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      },
      w,
    );
  }
  return kube;
}

function controller(kube: MemoryKube, depths: Depth[], leader = true) {
  const lines: string[] = [];
  const metrics = new AutoscaleMetrics({ processMetrics: false });
  const c = new AutoscaleController({
    api: kube,
    pools: [target],
    reader: {
      readDepth: () => Promise.resolve(depths.shift() ?? { unknown: true, reason: 'no more' }),
    },
    elector: { identity: 'me', isLeader: () => leader },
    clock,
    log: (l) => lines.push(l),
    metrics,
  });
  return { c, lines, metrics };
}

const replicasOf = async (kube: MemoryKube) =>
  (
    (
      await kube.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'agents',
        name: 'developer',
      })
    )?.spec as { replicas: number }
  ).replicas;

test('scales up through /scale as berth-autoscaler, and logs the reason', async () => {
  const kube = await cluster(5);
  const { c, lines, metrics } = controller(kube, [{ value: 37 }, { value: 37 }]);
  await c.start({ poll: false });
  const d = await c.tick('developer');
  assert.equal(d?.acted, true);
  assert.equal(await replicasOf(kube), 7);
  const live = await kube.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'agents',
    name: 'developer',
  });
  const managers = (live?.metadata.managedFields as { manager: string }[]).map((f) => f.manager);
  assert.ok(managers.includes('berth-autoscaler'), managers.join());
  await c.tick('developer');
  assert.equal(await replicasOf(kube), 9, 'the next step starts from our own write');
  assert.deepEqual(lines, [
    'developer: 37 pending > 10, 5 → 7 replicas (+2, max 20)',
    'developer: 37 pending > 10 for 0 s, 7 → 9 replicas (+2, max 20)'.replace(' for 0 s', ''),
  ]);
  const text = await metrics.text();
  assert.match(text, /berth_autoscaler_queue_depth\{pool="developer"\} 37/);
  assert.match(text, /berth_autoscaler_scale_writes_total\{pool="developer",direction="up"\} 2/);
  await c.stop();
});

test('an unknown depth holds the replicas and counts a source error', async () => {
  const kube = await cluster(7);
  const { c, lines, metrics } = controller(kube, [
    { unknown: true, reason: 'nats VAPORA_TASKS/developer: connection refused' },
  ]);
  await c.start({ poll: false });
  const d = await c.tick('developer');
  assert.equal(d?.code, 'metric-unknown');
  assert.equal(await replicasOf(kube), 7);
  assert.match(
    lines[0] ?? '',
    /queue depth unknown \(nats VAPORA_TASKS\/developer: connection refused\), holding 7/,
  );
  assert.match(
    await metrics.text(),
    /berth_autoscaler_source_errors_total\{pool="developer",source="nats"\} 1/,
  );
  await c.stop();
});

test('scale-down marks idle pods with a negative deletion cost and busy ones with a high one', async () => {
  const kube = await cluster(7, ['developer-1', 'developer-4', 'developer-6']);
  const { c } = controller(kube, [{ value: 0 }, { value: 0 }, { value: 0 }]);
  await c.start({ poll: false });
  const d = await c.tick('developer');
  assert.equal(d?.replicas, 6);
  const victim = d?.victims?.[0] ?? '';
  assert.equal(d?.victims?.length, 1);
  assert.ok(['developer-0', 'developer-2', 'developer-3', 'developer-5'].includes(victim), victim);
  const costs: Record<string, string | undefined> = {};
  for (const p of (await kube.list({ apiVersion: 'v1', kind: 'Pod', namespace: 'agents' })).items)
    costs[p.metadata.name] = p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  const expected: Record<string, string | undefined> = {};
  for (let i = 0; i < 7; i++) {
    const name = `developer-${i}`;
    expected[name] = name === victim ? '-1000' : [1, 4, 6].includes(i) ? '1000' : undefined;
  }
  assert.deepEqual(costs, expected);
  await c.stop();
});

test('all pods busy: no scale-down', async () => {
  const busy = Array.from({ length: 6 }, (_, i) => `developer-${i}`);
  const kube = await cluster(6, busy);
  const { c, lines } = controller(kube, [{ value: 0 }]);
  await c.start({ poll: false });
  const d = await c.tick('developer');
  assert.equal(d?.code, 'all-busy');
  assert.equal(await replicasOf(kube), 6);
  assert.match(lines[0] ?? '', /but all 6 pods are busy, holding 6 replicas/);
  await c.stop();
});

test('a follower decides but never writes', async () => {
  const kube = await cluster(5);
  const writes: string[] = [];
  const { c, lines } = controller(kube, [{ value: 50 }], false);
  await c.start({ poll: false });
  const d = await c.tick('developer');
  assert.equal(d?.acted, false);
  assert.equal(await replicasOf(kube), 5);
  assert.match(lines[0] ?? '', /standby: not the leader/);
  assert.deepEqual(writes, []);
  await c.stop();
});

test('leader election: one of two leads, the other takes over when it stops', async () => {
  const clock = manualClock();
  const kube = new MemoryKube({ now: () => clock.now() });
  await kube.create(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sys' } },
    { fieldManager: 't' },
  );
  const changes: string[] = [];
  const elector = (id: string) =>
    new LeaseElector(kube, {
      namespace: 'sys',
      name: 'berth-autoscaler',
      identity: id,
      clock,
      leaseSeconds: 15,
      onChange: (leader, why) => changes.push(`${id} ${leader ? 'leads' : 'follows'}: ${why}`),
    });
  const a = elector('a');
  const b = elector('b');
  const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
  assert.equal(Number(ra) + Number(rb), 1, 'exactly one leader');
  const [leader, other] = ra ? [a, b] : [b, a];
  clock.advance(5_000);
  assert.equal(await leader.tick(), true, 'renews');
  assert.equal(await other.tick(), false);
  clock.advance(13_000);
  assert.equal(leader.isLeader(), false, 'a leader that did not renew stops acting before expiry');
  assert.equal(await leader.tick(), true);
  await leader.stop();
  assert.equal(await other.tick(), true, 'the lease was handed back');
  const lease = await kube.get({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: 'sys',
    name: 'berth-autoscaler',
  });
  assert.equal((lease?.spec as { holderIdentity: string }).holderIdentity, other.identity);
  assert.equal((lease?.spec as { leaseTransitions: number }).leaseTransitions, 1);
  assert.ok(changes.length >= 2, changes.join('; '));
});

test('an expired lease is taken over by exactly one of two candidates', async () => {
  const clock = manualClock();
  const kube = new MemoryKube({ now: () => clock.now() });
  await kube.create(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sys' } },
    { fieldManager: 't' },
  );
  const mk = (id: string) =>
    new LeaseElector(kube, { namespace: 'sys', name: 'l', identity: id, clock });
  const dead = mk('dead');
  assert.equal(await dead.tick(), true);
  clock.advance(20_000);
  const [x, y] = await Promise.all([mk('x').tick(), mk('y').tick()]);
  assert.equal(Number(x) + Number(y), 1);
});

test('the autoscaler writes as the port says its actor is called', () => {
  assert.equal(FIELD_MANAGER, FieldManager.autoscaler);
});

test('a down window of one poll period is met after one period, however long each read took', async () => {
  // The first read below the threshold takes 30 ms, the next one 5 ms: stamped when the reads
  // returned, the condition would have held 1975 ms < 2000 ms and waited a whole extra poll.
  const kube = await cluster(6);
  const windowed: PoolTarget = {
    ...target,
    policy: { ...policy, min: 2, down: { ...policy.down, stabilizationMs: 2000 } },
  };
  const latencies = [30, 5];
  const c = new AutoscaleController({
    api: kube,
    pools: [windowed],
    reader: {
      readDepth: () => {
        clock.advance(latencies.shift() ?? 0);
        return Promise.resolve({ value: 0 });
      },
    },
    elector: { identity: 'me', isLeader: () => true },
    clock,
    log: () => undefined,
  });
  await c.start({ poll: false });
  const first = await c.tick('developer');
  assert.equal(first?.code, 'stabilizing');
  clock.advance(2000 - 30); // the next round starts one poll period after the first
  const second = await c.tick('developer');
  assert.equal(second?.code, 'scale-down', second?.reason);
  assert.equal(await replicasOf(kube), 5);
  await c.stop();
});
