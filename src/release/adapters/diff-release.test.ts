import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasChanges, summarizeDiffs } from '../diff/render.ts';
import { diffRelease } from './diff-release.ts';
import { applyRelease } from './operations.ts';
import { deployment, memoryContext, ns, pvc, service } from './test-support.ts';

const opts = () => ({ deadline: Date.now() + 10_000, timeoutMs: 10_000 });

test('diff: an unchanged release has nothing to show', async () => {
  const ctx = memoryContext();
  const objects = [ns('demo'), deployment('a', 'a:1'), service('a')];
  await applyRelease(ctx, objects, opts());
  const report = await diffRelease(ctx.api, objects, { ...opts(), release: ctx.release });
  const s = summarizeDiffs(report.diffs);
  assert.deepEqual(s, { create: 0, change: 0, prune: 0, keep: 0, unchanged: 3 });
  assert.equal(hasChanges(s), false);
});

test('diff: changes, creations, prunes and kept volumes of a release', async () => {
  const ctx = memoryContext();
  await applyRelease(ctx, [ns('demo'), deployment('a', 'a:1'), service('a'), pvc('data')], opts());
  const next = [ns('demo'), deployment('a', 'a:2'), deployment('b', 'b:1')];
  const report = await diffRelease(ctx.api, next, { ...opts(), release: ctx.release });
  const byAction = Object.fromEntries(
    report.diffs.map((d) => [`${d.ref.kind}/${d.ref.name}`, d.action]),
  );
  assert.deepEqual(byAction, {
    'Namespace/demo': 'unchanged',
    'Deployment/a': 'change',
    'Deployment/b': 'create',
    'Service/a': 'prune',
    'PersistentVolumeClaim/data': 'keep',
  });
  const change = report.diffs.find((d) => d.ref.name === 'a' && d.action === 'change');
  assert.match(change?.diff ?? '', /-.*image: a:1\n\+.*image: a:2/);
  assert.ok(
    await ctx.api.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo', name: 'a' }),
  );
  assert.equal(
    await ctx.api.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo', name: 'b' }),
    undefined,
    'a diff changes nothing',
  );
});

test('diff: fields another manager changed are listed as taken back', async () => {
  const ctx = memoryContext();
  const objects = [ns('demo'), deployment('a', 'a:1')];
  await applyRelease(ctx, objects, opts());
  await ctx.api.patch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo', name: 'a' },
    { spec: { replicas: 5 } },
    { fieldManager: 'kubectl-scale', type: 'merge' },
  );
  const report = await diffRelease(ctx.api, objects, { ...opts(), release: ctx.release });
  const d = report.diffs.find((x) => x.ref.kind === 'Deployment');
  assert.equal(d?.action, 'change');
  assert.deepEqual(d?.takenBack, [{ manager: 'kubectl-scale', fields: ['.spec.replicas'] }]);
});
