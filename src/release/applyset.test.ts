import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupKindString, parseGroupKind } from '../model/group-kind.ts';
import type { KubeObject } from '../model/object.ts';
import {
  applySetId,
  labelMembers,
  parentMetadata,
  readParentState,
  stateOf,
  unionState,
} from './applyset.ts';

test('applyset: the id is the one kubectl computes (kubectl apply_test.go vector)', () => {
  const id = applySetId({ group: '', kind: 'Secret', name: 'my-set', namespace: 'test' });
  assert.equal(id, 'applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1');
});

const cases: [string, string, string][] = [
  ['apps/v1', 'Deployment', 'Deployment.apps'],
  ['v1', 'Service', 'Service'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'NetworkPolicy.networking.k8s.io'],
];
for (const [apiVersion, kind, expected] of cases) {
  test(`applyset: ${apiVersion} ${kind} is written ${expected}`, () => {
    assert.equal(groupKindString({ apiVersion, kind }), expected);
    assert.deepEqual(parseGroupKind(expected), {
      group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '',
      kind,
    });
  });
}

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bots' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'a', namespace: 'bots', labels: { x: '1' } },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'web' } },
];

test('applyset: members get the part-of label, inputs are untouched', () => {
  const out = labelMembers(objects, 'applyset-x-v1');
  assert.deepEqual(out[1]?.metadata.labels, {
    x: '1',
    'applyset.kubernetes.io/part-of': 'applyset-x-v1',
  });
  assert.deepEqual(objects[1]?.metadata.labels, { x: '1' });
});

test('applyset: parent annotations list kinds and the other namespaces, sorted', () => {
  const parent = { group: '', kind: 'Secret', name: 'berth.release.demo', namespace: 'bots' };
  const meta = parentMetadata(parent, stateOf(objects), 'berth/0.1.0');
  assert.deepEqual(meta.annotations, {
    'applyset.kubernetes.io/tooling': 'berth/0.1.0',
    'applyset.kubernetes.io/contains-group-kinds': 'Deployment.apps,Namespace,Service',
    'applyset.kubernetes.io/additional-namespaces': 'web',
  });
  assert.equal(meta.labels['applyset.kubernetes.io/id'], applySetId(parent));
  const back = readParentState(meta.annotations, 'bots');
  assert.deepEqual(back, {
    groupKinds: ['Deployment.apps', 'Namespace', 'Service'],
    namespaces: ['bots', 'web'],
  });
  assert.deepEqual(unionState(back, { groupKinds: ['ConfigMap'], namespaces: ['a'] }), {
    groupKinds: ['ConfigMap', 'Deployment.apps', 'Namespace', 'Service'],
    namespaces: ['a', 'bots', 'web'],
  });
  assert.deepEqual(readParentState(undefined, 'bots'), { groupKinds: [], namespaces: ['bots'] });
});
