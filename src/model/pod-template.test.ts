import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupKindOf, groupOf } from './group-kind.ts';
import { podSpecOf, podSpecPathOf, podTemplatePathOf } from './pod-template.ts';

test('group/kind: the core group has no prefix', () => {
  assert.equal(groupOf('v1'), '');
  assert.equal(groupOf('apps/v1'), 'apps');
  assert.equal(groupOf('networking.k8s.io/v1'), 'networking.k8s.io');
  assert.equal(groupKindOf({ apiVersion: 'v1', kind: 'Service' }), 'Service');
  assert.equal(groupKindOf({ apiVersion: 'apps/v1', kind: 'Deployment' }), 'apps/Deployment');
  assert.equal(groupKindOf({ apiVersion: 'batch/v1beta1', kind: 'CronJob' }), 'batch/CronJob');
});

const paths: [string, string, string[] | undefined][] = [
  ['v1', 'Pod', ['spec']],
  ['v1', 'ReplicationController', ['spec', 'template', 'spec']],
  ['apps/v1', 'Deployment', ['spec', 'template', 'spec']],
  ['apps/v1', 'StatefulSet', ['spec', 'template', 'spec']],
  ['apps/v1', 'DaemonSet', ['spec', 'template', 'spec']],
  ['apps/v1', 'ReplicaSet', ['spec', 'template', 'spec']],
  ['batch/v1', 'Job', ['spec', 'template', 'spec']],
  ['batch/v1', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
  ['v1', 'Service', undefined],
  ['example.com/v1', 'Deployment', undefined],
];
for (const [apiVersion, kind, path] of paths) {
  test(`pod spec path of ${apiVersion} ${kind}`, () => {
    assert.deepEqual(podSpecPathOf({ apiVersion, kind }), path);
  });
}

test('pod template and pod spec of a CronJob', () => {
  const spec = { containers: [] };
  const cron = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    spec: { jobTemplate: { spec: { template: { spec } } } },
  };
  assert.deepEqual(podTemplatePathOf(cron), ['spec', 'jobTemplate', 'spec', 'template']);
  assert.equal(podSpecOf(cron), spec);
  const broken = { apiVersion: 'apps/v1', kind: 'Deployment', spec: [] };
  assert.equal(podSpecOf(broken), undefined);
});
