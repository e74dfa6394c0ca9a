// The autoscaler across a change of leader under `berth serve` (ADR 0105): the leader's scalings
// are reported (`onScaled`, kept in the cluster by the service); a new leader that restores them
// (`restoreEvents`) keeps the cooldown the previous leader started, one that does not would scale
// again at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AutoscaleController, type PoolTarget } from '../../src/autoscale/adapters/controller.ts';
import type { ScaleEvent, ScalePolicy } from '../../src/autoscale/types.ts';
import type { Clock } from '../../src/kube/leader.ts';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import { seedPolicy } from '../../src/autoscale/test-policy.ts';

const policy: ScalePolicy = seedPolicy({
  min: 1,
  upCooldownMs: 60_000,
  downStabilizationMs: 0,
  downCooldownMs: 60_000,
});
const target: PoolTarget = {
  name: 'developer',
  namespace: 'agents',
  policy,
  source: { kind: 'nats', url: 'nats://x', stream: 'TASKS', consumer: 'developer' },
  pollMs: 2000,
};
const start = Date.now();
let now = start;
const clock: Clock = { now: () => now, sleep: () => new Promise((r) => setImmediate(r)) };

async function cluster(): Promise<MemoryKube> {
  const kube = new MemoryKube({ now: () => now });
  const w = { fieldManager: 'berth-test' };
  await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'agents' } }, w);
  await kube.create(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'developer', namespace: 'agents' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'developer' } },
        template: { metadata: { labels: { app: 'developer' } }, spec: { containers: [] } },
      },
    },
    w,
  );
  return kube;
}

function controller(kube: MemoryKube, scaled: ScaleEvent[]) {
  return new AutoscaleController({
    api: kube,
    pools: [target],
    reader: { readDepth: () => Promise.resolve({ value: 50 }) },
    elector: { identity: 'x', isLeader: () => true },
    clock,
    log: () => undefined,
    onScaled: (_pool, e) => scaled.push(e),
  });
}

const replicas = async (kube: MemoryKube) =>
  (
    await kube.getScale({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'agents',
      name: 'developer',
    })
  ).replicas;

for (const restore of [true, false])
  test(`autoscaler leader change: ${restore ? 'restored scalings keep the cooldown' : 'without them it scales again at once'}`, async (t) => {
    now = start;
    const kube = await cluster();
    const scaled: ScaleEvent[] = [];
    const first = controller(kube, scaled);
    await first.start({ poll: false });
    t.after(() => first.stop());
    const d1 = await first.tick('developer');
    assert.equal(d1?.acted, true);
    assert.deepEqual(scaled, [{ at: start, from: 2, to: 4 }]);
    assert.equal(await replicas(kube), 4);
    // The leader dies; 10 s later another replica leads.
    now = start + 10_000;
    const second = controller(kube, []);
    await second.start({ poll: false });
    t.after(() => second.stop());
    if (restore) second.restoreEvents('developer', scaled);
    const d2 = await second.tick('developer');
    assert.equal(d2?.acted, !restore, JSON.stringify(d2));
    assert.equal(await replicas(kube), restore ? 4 : 6);
  });
