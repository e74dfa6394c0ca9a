import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import { matchesLabels, selectorOfWorkload } from '../model/selector.ts';
import { countIdle, planDeletionCosts, podViews } from './idle.ts';
import { slimDeployment, slimPod } from './slim.ts';

const pod = (name: string, busy: boolean, ready: boolean): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'agents',
    uid: `uid-${name}`,
    resourceVersion: '42',
    creationTimestamp: `2026-12-02T20:0${name.length % 10}:00Z`,
    labels: { app: 'developer', 'pod-template-hash': 'abc' },
    annotations: {
      'berth.dev/busy': busy ? 'true' : 'false',
      'controller.kubernetes.io/pod-deletion-cost': '-1000',
      'kubectl.kubernetes.io/last-applied-configuration': 'x'.repeat(4_000),
    },
    managedFields: [{ manager: 'kubelet', fieldsV1: { 'f:status': {} } }],
    ownerReferences: [{ kind: 'ReplicaSet', name: 'developer-abc' }],
  },
  spec: { containers: [{ name: 'agent', image: 'vapora/agents:developer', env: [] }] },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: 't' },
      { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: 't' },
    ],
    containerStatuses: [{ name: 'agent', ready, restartCount: 0 }],
  },
});

test('a slim pod reads the same to the idleness ranking as the full one, at a fraction of its size', () => {
  const full = [
    pod('developer-a', false, true),
    pod('developer-bb', true, true),
    pod('developer-c', false, false),
  ];
  const slim = full.map(slimPod);
  assert.deepEqual(podViews(slim), podViews(full));
  assert.deepEqual(countIdle(podViews(slim)), { idle: 2, busy: 1 });
  assert.deepEqual(planDeletionCosts(podViews(slim), 1), planDeletionCosts(podViews(full), 1));
  const one = slim[0];
  assert.ok(one);
  assert.deepEqual(one.metadata.annotations, {
    'berth.dev/busy': 'false',
    'controller.kubernetes.io/pod-deletion-cost': '-1000',
  });
  assert.equal(one.metadata.resourceVersion, '42');
  assert.equal(one.metadata.managedFields, undefined);
  assert.equal(one.spec, undefined);
  assert.deepEqual(one.status, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
  });
  assert.ok(JSON.stringify(one).length * 10 < JSON.stringify(full[0]).length);
});

test('a terminating pod stays terminating, a pod without status or annotations stays bare', () => {
  const gone = { ...pod('developer-d', false, true) };
  gone.metadata = { ...gone.metadata, deletionTimestamp: '2026-12-02T20:10:00Z' };
  assert.equal(slimPod(gone).metadata.deletionTimestamp, '2026-12-02T20:10:00Z');
  assert.deepEqual(podViews([slimPod(gone)]), []);
  const bare = slimPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
  assert.deepEqual(bare, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: {} });
});

test('a slim Deployment keeps replicas and the selector its pods are matched with', () => {
  const d: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'developer', namespace: 'agents', resourceVersion: '7', managedFields: [] },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: 'developer' } },
      template: { metadata: { labels: { app: 'developer' } }, spec: { containers: [] } },
    },
    status: { replicas: 5, readyReplicas: 5 },
  };
  const s = slimDeployment(d);
  assert.deepEqual(s.spec, { replicas: 5, selector: { matchLabels: { app: 'developer' } } });
  assert.equal(s.status, undefined);
  assert.equal(s.metadata.resourceVersion, '7');
  const labels = slimPod(pod('developer-a', false, true)).metadata.labels ?? {};
  assert.ok(matchesLabels(selectorOfWorkload(s), labels));
  assert.ok(!matchesLabels(selectorOfWorkload(s), { app: 'tester' }));
});
