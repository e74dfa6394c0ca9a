import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../model/object.ts';
import { fieldPaths, fieldsTakenBack } from './managed-fields.ts';
import { maskSecretPair, stripNoise } from './normalize.ts';
import { diffObject, formatDiffs, hasChanges, keptDiff, summarizeDiffs } from './render.ts';

const live: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'api',
    namespace: 'web',
    uid: 'u1',
    resourceVersion: '12',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'berth' }],
    annotations: { 'deployment.kubernetes.io/revision': '3' },
  },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'api:1' }] } } },
  status: { readyReplicas: 2 },
};
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'api' };

test('diff: bookkeeping and status are not differences', () => {
  const after = structuredClone(live);
  after.metadata.resourceVersion = '13';
  after.metadata.managedFields = [{ manager: 'berth', time: 'now' }];
  after.status = { readyReplicas: 0 };
  const d = diffObject(ref, live, after);
  assert.equal(d.action, 'unchanged');
  assert.equal(d.diff, '');
  const stripped = stripNoise(live);
  assert.deepEqual(Object.keys(stripped.metadata), ['name', 'namespace']);
  assert.equal(stripped.status, undefined);
});

test('diff: a changed image is one unified hunk', () => {
  const after = structuredClone(live);
  (
    after.spec as { template: { spec: { containers: { image: string }[] } } }
  ).template.spec.containers[0]!.image = 'api:2';
  const d = diffObject(ref, live, after);
  assert.equal(d.action, 'change');
  assert.match(d.diff, /^-.*image: api:1$/m);
  assert.match(d.diff, /^\+.*image: api:2$/m);
  assert.match(d.diff, /--- live\/Deployment web\/api/);
});

test('diff: created and pruned objects diff against nothing', () => {
  assert.equal(diffObject(ref, undefined, live).action, 'create');
  assert.match(diffObject(ref, undefined, live).diff, /--- \/dev\/null/);
  assert.equal(diffObject(ref, live, undefined).action, 'prune');
});

test('diff: Secret values never appear, changed keys are marked', () => {
  const secret = (data: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'web' },
    data,
  });
  const before = secret({ same: 'c2FtZQ==', changed: 'b2xk', gone: 'eA==' });
  const after = secret({ same: 'c2FtZQ==', changed: 'bmV3', added: 'eQ==' });
  const [b, a] = maskSecretPair(before, after);
  assert.deepEqual(b?.data, { same: '***', changed: '*** (before)', gone: '***' });
  assert.deepEqual(a?.data, { same: '***', changed: '*** (after)', added: '***' });
  const d = diffObject(
    { apiVersion: 'v1', kind: 'Secret', namespace: 'web', name: 's' },
    before,
    after,
  );
  for (const value of ['c2FtZQ==', 'b2xk', 'bmV3', 'eA==', 'eQ=='])
    assert.ok(!d.diff.includes(value));
  assert.equal(before.data && (before.data as Record<string, string>).same, 'c2FtZQ==');
});

test('managed fields: readable paths of a fieldsV1 set', () => {
  const paths = fieldPaths({
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:template': {
        'f:spec': { 'f:containers': { 'k:{"name":"api"}': { '.': {}, 'f:image': {} } } },
      },
      'f:finalizers': { 'v:x': {} },
    },
  });
  assert.deepEqual(paths, [
    '.metadata.labels',
    '.metadata.labels.app',
    '.spec.replicas',
    '.spec.template.spec.containers[name=api]',
    '.spec.template.spec.containers[name=api].image',
    '.spec.finalizers[=x]',
  ]);
});

test('managed fields: what a forced apply takes back, and from whom', () => {
  const liveFields = [
    { manager: 'berth', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:template': {} } } },
    {
      manager: 'kubectl-edit',
      operation: 'Update',
      fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:paused': {} } },
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'status',
      fieldsV1: { 'f:status': {} },
    },
  ];
  const afterFields = [
    {
      manager: 'berth',
      operation: 'Apply',
      fieldsV1: { 'f:spec': { 'f:template': {}, 'f:replicas': {} } },
    },
    { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:paused': {} } } },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'status',
      fieldsV1: { 'f:status': {} },
    },
  ];
  assert.deepEqual(fieldsTakenBack(liveFields, afterFields, 'berth'), [
    { manager: 'kubectl-edit', fields: ['.spec.replicas'] },
  ]);
  assert.deepEqual(fieldsTakenBack(liveFields, liveFields, 'berth'), []);
});

test('diff: summary, exit semantics and text report', () => {
  const diffs = [
    diffObject(ref, undefined, live),
    diffObject(ref, live, live),
    keptDiff({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'web', name: 'data' }),
  ];
  const s = summarizeDiffs(diffs);
  assert.deepEqual(s, { create: 1, change: 0, prune: 0, keep: 1, unchanged: 1 });
  assert.equal(hasChanges(s), true);
  assert.equal(hasChanges({ create: 0, change: 0, prune: 0, keep: 2, unchanged: 3 }), false);
  const text = formatDiffs(diffs);
  assert.match(text, /PersistentVolumeClaim web\/data: no longer in the release, kept/);
  assert.match(text, /1 to create, 0 to change, 0 to prune, 1 kept, 1 unchanged\n$/);
});
