import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplySetLabel } from '../applyset.ts';
import { listRevisions, readRevision } from './history-store.ts';
import { releaseSetId } from './members.ts';
import { applyRelease, rollbackRelease } from './operations.ts';
import { deployment, memoryContext, ns, pvc, service } from './test-support.ts';

const opts = () => ({ deadline: Date.now() + 10_000, timeoutMs: 10_000 });
const dep = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo' };

test('release: revisions are recorded, what left the set is pruned, PVCs are kept and released', async () => {
  const ctx = memoryContext();
  const v1 = [
    ns('demo'),
    deployment('a', 'a:1'),
    service('a'),
    pvc('a-data'),
    deployment('b', 'b:1'),
  ];
  const first = await applyRelease(ctx, v1, opts());
  assert.equal(first.shipped.revision, 1);
  assert.equal(first.shipped.status, 'deployed');
  const live = await ctx.api.get({ ...dep, name: 'a' });
  assert.equal(live?.metadata.labels?.[ApplySetLabel.partOf], releaseSetId(ctx.release));

  const second = await applyRelease(ctx, [ns('demo'), deployment('b', 'b:2')], opts());
  assert.deepEqual(
    second.shipped.pruned.map((r) => `${r.kind}/${r.name}`),
    ['Deployment/a', 'Service/a'],
  );
  assert.deepEqual(
    second.shipped.kept.map((r) => `${r.kind}/${r.name}`),
    ['PersistentVolumeClaim/a-data'],
  );
  assert.equal(await ctx.api.get({ ...dep, name: 'a' }), undefined);
  const kept = await ctx.api.get({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    namespace: 'demo',
    name: 'a-data',
  });
  assert.ok(kept, 'the PVC is kept');
  assert.equal(
    kept.metadata.labels?.[ApplySetLabel.partOf],
    undefined,
    'and no longer part of the set',
  );

  const history = await listRevisions(ctx.api, ctx.release);
  assert.deepEqual(
    history.map((h) => `${h.revision}:${h.status}`),
    ['1:superseded', '2:deployed'],
  );
  assert.deepEqual(history[1]?.images, ['b:2']);
  assert.equal(history[1]?.by, 'tester@host');

  const parent = await ctx.api.get({
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'demo',
    name: 'berth.release.demo',
  });
  assert.equal(
    parent?.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds'],
    'Deployment.apps,Namespace',
  );
  assert.equal(parent?.metadata.labels?.['applyset.kubernetes.io/id'], releaseSetId(ctx.release));
  assert.equal(
    await ctx.api.get({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: 'demo',
      name: 'berth-release-demo',
    }),
    undefined,
    'the lock is released',
  );
});

test('release: --no-prune keeps what left; --prune-volumes deletes the PVC too', async () => {
  const ctx = memoryContext();
  await applyRelease(ctx, [ns('demo'), deployment('a', 'a:1'), pvc('a-data')], opts());
  const kept = await applyRelease(ctx, [ns('demo')], { ...opts(), prune: false });
  assert.deepEqual(kept.shipped.pruned, []);
  assert.ok(await ctx.api.get({ ...dep, name: 'a' }));
  const pruned = await applyRelease(ctx, [ns('demo')], { ...opts(), pruneVolumes: true });
  assert.deepEqual(
    pruned.shipped.pruned.map((r) => r.kind),
    ['Deployment', 'PersistentVolumeClaim'],
  );
});

test('release: rollback restores the target revision exactly and records who it restored', async () => {
  const ctx = memoryContext();
  await applyRelease(ctx, [ns('demo'), deployment('a', 'a:1')], opts());
  await applyRelease(ctx, [ns('demo'), deployment('a', 'a:2'), service('extra')], opts());
  await applyRelease(ctx, [ns('demo'), deployment('a', 'a:3'), service('extra')], opts());
  const back = await rollbackRelease(ctx, { ...opts(), toRevision: 1 });
  assert.equal(back.target, 1);
  assert.equal(back.revision, 4);
  assert.deepEqual(
    back.pruned.map((r) => `${r.kind}/${r.name}`),
    ['Service/extra'],
  );
  const a = await ctx.api.get({ ...dep, name: 'a' });
  const containers = (a?.spec as { template: { spec: { containers: { image: string }[] } } })
    .template.spec.containers;
  assert.equal(containers[0]?.image, 'a:1');
  const history = await listRevisions(ctx.api, ctx.release);
  assert.deepEqual(
    history.map((h) => `${h.revision}:${h.status}`),
    ['1:superseded', '2:superseded', '3:rolled-back', '4:deployed'],
  );
  assert.equal(history[3]?.restoredFrom, 1);
  assert.equal(history[3]?.description, 'rollback to 1');
  const restored = await readRevision(ctx.api, ctx.release, 4);
  const target = await readRevision(ctx.api, ctx.release, 1);
  assert.equal(restored.specDigest, target.specDigest);
  // Default target: the last deployed before the current one, never one a rollback undid.
  const again = await rollbackRelease(ctx, opts());
  assert.equal(again.target, 2);
});

test('release: --atomic rolls a failed apply back to the last deployed revision', async () => {
  const ctx = memoryContext(new Set(['broken']));
  await applyRelease(ctx, [ns('demo'), deployment('a', 'a:1')], opts());
  const out = await applyRelease(
    ctx,
    [ns('demo'), deployment('a', 'a:2'), deployment('broken', 'x:1')],
    { ...opts(), atomic: true },
  );
  assert.equal(out.shipped.status, 'failed');
  assert.deepEqual(out.shipped.pruned, [], 'a failed revision prunes nothing');
  assert.equal(out.restored?.target, 1);
  assert.deepEqual(
    out.restored?.pruned.map((r) => r.name),
    ['broken'],
  );
  const history = await listRevisions(ctx.api, ctx.release);
  assert.deepEqual(
    history.map((h) => `${h.revision}:${h.status}`),
    ['1:superseded', '2:failed', '3:deployed'],
  );
  assert.match(history[2]?.description ?? '', /rollback to 1 \(--atomic: revision 2 failed\)/);
});

test('release: --atomic on a first revision has nothing to restore and says so', async () => {
  const ctx = memoryContext(new Set(['broken']));
  const out = await applyRelease(ctx, [ns('demo'), deployment('broken', 'x:1')], {
    ...opts(),
    atomic: true,
  });
  assert.equal(out.restored, undefined);
  assert.match(out.noRestoreReason ?? '', /no deployed revision before revision 1/);
});

test('release: history is trimmed to --history-max', async () => {
  const ctx = memoryContext();
  for (let i = 1; i <= 5; i++)
    await applyRelease(ctx, [ns('demo'), deployment('a', `a:${i}`)], { ...opts(), historyMax: 3 });
  assert.deepEqual(
    (await listRevisions(ctx.api, ctx.release)).map((h) => h.revision),
    [3, 4, 5],
  );
});

test('release: a missing release namespace that the objects do not declare is a usage error', async () => {
  const ctx = memoryContext();
  await assert.rejects(
    applyRelease(ctx, [deployment('a', 'a:1', 'default')], opts()),
    /namespace demo does not exist/,
  );
});

test('release: a waited rollback rolls changed Deployments in one step, then re-applies their strategy', async () => {
  const ctx = memoryContext();
  const calls: string[][] = [];
  const inner = ctx.apply;
  ctx.apply = async (objects, o) => {
    calls.push(
      objects
        .filter((x) => x.kind === 'Deployment')
        .map((x) => {
          const s = (x.spec as { strategy?: { rollingUpdate?: { maxSurge?: string } } }).strategy;
          return `${x.metadata.name}:${s?.rollingUpdate?.maxSurge ?? '-'}:${o.wait ? 'wait' : 'nowait'}`;
        }),
    );
    return inner(objects, o);
  };
  await applyRelease(ctx, [ns('demo'), deployment('a', 'a:1'), deployment('b', 'b:1')], opts());
  await applyRelease(ctx, [ns('demo'), deployment('a', 'a:2'), deployment('b', 'b:1')], opts());
  calls.length = 0;
  const r = await rollbackRelease(ctx, { ...opts(), wait: true });
  assert.deepEqual(calls, [['a:100%:wait', 'b:-:wait'], ['a:-:nowait']]);
  assert.deepEqual(
    r.surged.map((x) => x.name),
    ['a'],
  );
  const live = await ctx.api.get({ ...dep, name: 'a' });
  const strategy = (live?.spec as { strategy?: { type?: string; rollingUpdate?: object } })
    .strategy;
  assert.equal(strategy?.type, undefined, 'the declared strategy (none) is back');
  assert.deepEqual(strategy?.rollingUpdate ?? {}, {});
  assert.equal((await readRevision(ctx.api, ctx.release, r.revision)).objects.length, 3);
  const stored = (await readRevision(ctx.api, ctx.release, r.revision)).objects.find(
    (x) => x.metadata.name === 'a',
  );
  assert.equal(
    (stored?.spec as { strategy?: unknown }).strategy,
    undefined,
    'recorded as declared',
  );

  // --no-surge, or no wait: one pass, as declared.
  calls.length = 0;
  await rollbackRelease(ctx, { ...opts(), wait: true, surge: false, toRevision: 2 });
  assert.deepEqual(calls, [['a:-:wait', 'b:-:wait']]);
});
