import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObjectRef } from '../model/object.ts';
import { imagesOf, digestOf } from './images.ts';
import { keyOf, planPrune } from './inventory.ts';

const r = (apiVersion: string, kind: string, name: string, namespace?: string): ObjectRef =>
  namespace ? { apiVersion, kind, name, namespace } : { apiVersion, kind, name };

const previous = [
  r('v1', 'Namespace', 'bots'),
  r('v1', 'PersistentVolumeClaim', 'clovis-data', 'bots'),
  r('apps/v1', 'Deployment', 'clovis', 'bots'),
  r('v1', 'Service', 'clovis', 'bots'),
  r('networking.k8s.io/v1', 'NetworkPolicy', 'clovis', 'bots'),
  r('v1', 'ConfigMap', 'clovis', 'bots'),
  r('apps/v1', 'Deployment', 'hermes', 'bots'),
];
const next = [r('v1', 'Namespace', 'bots'), r('apps/v1', 'Deployment', 'hermes', 'bots')];

test('prune: what left the release, workloads first, data kept', () => {
  const plan = planPrune(previous, next);
  assert.deepEqual(
    plan.delete.map((x) => `${x.kind}/${x.name}`),
    ['Deployment/clovis', 'Service/clovis', 'NetworkPolicy/clovis', 'ConfigMap/clovis'],
  );
  assert.deepEqual(
    plan.kept.map((x) => `${x.kind}/${x.name}`),
    ['PersistentVolumeClaim/clovis-data'],
  );
});

test('prune: --prune-volumes deletes PVCs and namespaces too, namespaces last', () => {
  const plan = planPrune(previous, [], { pruneVolumes: true });
  assert.equal(plan.kept.length, 0);
  assert.equal(plan.delete.at(-1)?.kind, 'Namespace');
  assert.equal(plan.delete[0]?.kind, 'Deployment');
});

test('prune: an API version change is the same object; duplicates are pruned once', () => {
  const plan = planPrune(
    [
      r('autoscaling/v1', 'HorizontalPodAutoscaler', 'a', 'x'),
      r('v1', 'ConfigMap', 'c', 'x'),
      r('v1', 'ConfigMap', 'c', 'x'),
    ],
    [r('autoscaling/v2', 'HorizontalPodAutoscaler', 'a', 'x')],
  );
  assert.deepEqual(plan.delete, [r('v1', 'ConfigMap', 'c', 'x')]);
  assert.equal(keyOf(r('apps/v1', 'Deployment', 'a', 'x')), 'apps/Deployment/x/a');
});

test('images and digest: sorted unique images of every pod-bearing kind; digest ignores key order', () => {
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'a' },
    spec: {
      template: {
        spec: {
          initContainers: [{ image: 'b:1' }],
          containers: [{ image: 'a:1' }, { image: 'b:1' }],
        },
      },
    },
  };
  assert.deepEqual(
    imagesOf([dep, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]),
    ['a:1', 'b:1'],
  );
  const reordered = {
    kind: dep.kind,
    apiVersion: dep.apiVersion,
    spec: dep.spec,
    metadata: dep.metadata,
  };
  assert.equal(digestOf([dep]), digestOf([reordered]));
  assert.match(digestOf([dep]), /^sha256:[0-9a-f]{64}$/);
});
