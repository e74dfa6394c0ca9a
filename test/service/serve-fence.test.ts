// The fence (ADR 0104), table-tested on the memory port with an injected clock: writes pass only
// while the elector's last renewal is younger than 80 % of the lease, their deadline is clamped
// to that bound; reads, the Lease and the self-review always pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeApi } from '../../src/kube/api.ts';
import { LeaseElector, type Clock } from '../../src/kube/leader.ts';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import { fenceKube, FencedError } from '../../src/service/fence.ts';

function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: () => Promise.resolve(),
    advance(ms: number) {
      now += ms;
    },
  };
}

const cm = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns' },
  data: { a: '1' },
});
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name });
const fm = { fieldManager: 'berth-watchdog' };

type Write = (api: KubeApi) => Promise<unknown>;
const writes: [string, Write][] = [
  ['apply', (api) => api.apply(cm('applied'), fm)],
  ['create', (api) => api.create(cm('created'), fm)],
  ['patch', (api) => api.patch(ref('seed'), { data: { b: '2' } }, { ...fm, type: 'merge' })],
  ['delete', (api) => api.delete(ref('seed'))],
  [
    'scale',
    (api) =>
      api.patchScale(
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'd' },
        2,
        fm,
      ),
  ],
];

async function setup() {
  const kube = new MemoryKube();
  await kube.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
    { fieldManager: 'test' },
  );
  await kube.apply(cm('seed'), { fieldManager: 'test' });
  await kube.apply(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
    },
    { fieldManager: 'test' },
  );
  const clock = manualClock();
  const elector = new LeaseElector(kube, {
    namespace: 'ns',
    name: 'berth-service',
    identity: 'a',
    leaseSeconds: 10,
    clock,
  });
  const refused: string[] = [];
  const fenced = fenceKube(kube, {
    holder: elector,
    now: () => clock.now(),
    onRefused: (w) => refused.push(w),
  });
  return { kube, clock, elector, fenced, refused };
}

// [state, how far past the last renewal (ms), writes pass?]
const states: [string, number | 'never', boolean][] = [
  ['never elected', 'never', false],
  ['just renewed', 0, true],
  ['renewed 7.9 s ago (lease 10 s)', 7_900, true],
  ['renewed 8 s ago: the renew deadline', 8_000, false],
  ['renewed 12 s ago: another may hold it', 12_000, false],
];

for (const [state, since, passes] of states)
  for (const [verb, write] of writes)
    test(`fence: ${verb} when ${state} → ${passes ? 'passes' : 'refused'}`, async () => {
      const { clock, elector, fenced, refused } = await setup();
      if (since !== 'never') {
        assert.equal(await elector.tick(), true);
        clock.advance(since);
      }
      if (passes) {
        await write(fenced);
        assert.deepEqual(refused, []);
      } else {
        await assert.rejects(write(fenced), (e: unknown) => e instanceof FencedError);
        assert.equal(refused.length, 1);
        assert.match(refused[0] ?? '', new RegExp(`^${verb}`));
      }
    });

test('fence: reads, the Lease and the self-review pass when not leader', async () => {
  const { fenced } = await setup();
  assert.ok(await fenced.get(ref('seed')));
  assert.equal(
    (await fenced.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns' })).items.length,
    1,
  );
  await fenced.create(
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: 'ns' },
    },
    fm,
  );
  await fenced.apply(
    {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'other', namespace: 'ns' },
      spec: { holderIdentity: 'x' },
    },
    fm,
  );
});

test('fence: a write deadline is clamped to the renew deadline', async () => {
  const { clock, elector } = await setup();
  const seen: (number | undefined)[] = [];
  const inner = new MemoryKube();
  await inner.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
    { fieldManager: 't' },
  );
  const spy = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'apply')
        return (obj: Parameters<KubeApi['apply']>[0], o: Parameters<KubeApi['apply']>[1]) => {
          seen.push(o.deadline);
          return target.apply(obj, o);
        };
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  assert.equal(await elector.tick(), true);
  clock.advance(5_000); // 3 s of the 8 s renew deadline left
  const fenced = fenceKube(spy, { holder: elector, now: () => clock.now() });
  const before = Date.now();
  await fenced.apply(cm('x'), { ...fm, deadline: before + 60_000 });
  const deadline = seen.find((d) => d !== undefined);
  assert.ok(deadline !== undefined, 'the call carried a deadline');
  assert.ok(
    deadline <= Date.now() + 3_000 && deadline >= before + 2_900,
    `deadline ${deadline - before} ms`,
  );
});

test('fence: a leader that lost the lease to another replica is refused at once', async () => {
  const { kube, clock, elector, fenced } = await setup();
  assert.equal(await elector.tick(), true);
  clock.advance(11_000); // expired: b takes it
  const b = new LeaseElector(kube, {
    namespace: 'ns',
    name: 'berth-service',
    identity: 'b',
    leaseSeconds: 10,
    clock,
  });
  assert.equal(await b.tick(), true);
  await assert.rejects(fenced.apply(cm('late'), fm), FencedError);
  assert.equal(await elector.tick(), false);
  await assert.rejects(fenced.apply(cm('late'), fm), FencedError);
  assert.equal(await kube.get(ref('late')), undefined);
});
