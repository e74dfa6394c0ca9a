// A rollback applies what it changes first (ADR 0151), only over a revision applied whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../model/object.ts';
import { applyRelease, rollbackRelease } from './operations.ts';
import { deployment, memoryContext, ns, service } from './test-support.ts';

const opts = () => ({ deadline: Date.now() + 10_000, timeoutMs: 10_000 });
const configMap = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'demo' },
  data: { a: '1' },
});
function usingConfig(name: string, image: string): KubeObject {
  const d = deployment(name, image);
  const spec = d.spec as { template: { spec: Record<string, unknown> } };
  spec.template.spec.volumes = [{ name: 'cfg', configMap: { name: `${name}-cfg` } }];
  return d;
}
const release = (image: string) => [
  ns('demo'),
  configMap('a-cfg'),
  configMap('b-cfg'),
  usingConfig('a', image),
  service('a'),
  usingConfig('b', 'b:1'),
  service('b'),
];

test('rollback: the changed Deployment and what its pods use go first, the unchanged rest after', async () => {
  const ctx = memoryContext();
  await applyRelease(ctx, release('a:1'), opts());
  await applyRelease(ctx, release('a:2'), opts());
  ctx.order.length = 0;
  const r = await rollbackRelease(ctx, { ...opts(), wait: true });
  assert.deepEqual(ctx.order.slice(0, 3), ['Namespace/demo', 'ConfigMap/a-cfg', 'Deployment/a']);
  assert.deepEqual(ctx.order.slice(3, 7).sort(), [
    'ConfigMap/b-cfg',
    'Deployment/b',
    'Service/a',
    'Service/b',
  ]);
  assert.deepEqual(r.ledBy, { objects: 3, changed: 1 });
  const live = await ctx.api.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'demo',
    name: 'a',
  });
  const image = (live?.spec as { template: { spec: { containers: { image: string }[] } } }).template
    .spec.containers[0]?.image;
  assert.equal(image, 'a:1', 'the restored image');
});

test('rollback: in dependency order throughout with --no-changed-first, or over a failed revision', async () => {
  const ctx = memoryContext(new Set(['a']));
  await applyRelease(
    ctx,
    release('a:1').filter((o) => o.metadata.name !== 'a'),
    opts(),
  );
  await applyRelease(ctx, release('a:1'), opts()); // fails: 'a' is in the failing set
  ctx.order.length = 0;
  const r = await rollbackRelease(ctx, { ...opts(), wait: true });
  assert.equal(r.ledBy, undefined, 'the failed revision may not be on the cluster whole');
  assert.deepEqual(ctx.order.slice(0, 3), ['Namespace/demo', 'ConfigMap/a-cfg', 'ConfigMap/b-cfg']);

  const ok = memoryContext();
  await applyRelease(ok, release('a:1'), opts());
  await applyRelease(ok, release('a:2'), opts());
  ok.order.length = 0;
  const strict = await rollbackRelease(ok, { ...opts(), wait: true, changedFirst: false });
  assert.equal(strict.ledBy, undefined);
  assert.deepEqual(ok.order.slice(0, 3), ['Namespace/demo', 'ConfigMap/a-cfg', 'ConfigMap/b-cfg']);
});
