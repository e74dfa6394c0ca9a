// A Deployment's rollout seen on its ReplicaSets and pods before its status says so (ADR 0150).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../model/object.ts';
import { assessReadiness } from './index.ts';
import { deployment, pod } from './fixtures.test-support.ts';

const template = (image: string) => ({
  metadata: { labels: { 'app.kubernetes.io/name': 'api' } },
  spec: { containers: [{ name: 'api', image, resources: { requests: { cpu: '5m' } } }] },
});

/** The Deployment just rolled back to `api:1`: its status still shows the rollout under way. */
const rolledBack = (patch: Record<string, unknown> = {}) =>
  deployment({
    spec: { template: template('api:1'), ...patch },
    status: {
      replicas: 5,
      updatedReplicas: 3,
      readyReplicas: 5,
      availableReplicas: 5,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
      ],
    },
  });

function rs(hash: string, image: string, replicas: number, extra: Record<string, unknown> = {}) {
  const t = template(image);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `api-${hash}`,
      namespace: 'vapora',
      uid: `rs-${hash}`,
      generation: 4,
      labels: { 'app.kubernetes.io/name': 'api', 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd-uid-1' }],
    },
    // The controller's copy: same template, keys in another order, plus the hash label.
    spec: {
      replicas,
      template: {
        spec: t.spec,
        metadata: { labels: { 'pod-template-hash': hash, ...t.metadata.labels } },
      },
    },
    status: { observedGeneration: 4, replicas, ...extra },
  } as KubeObject;
}

function podOf(hash: string, i: number, o: { ready?: boolean; deleting?: boolean } = {}) {
  const p = pod({
    name: `api-${hash}-${i}`,
    labels: { 'app.kubernetes.io/name': 'api', 'pod-template-hash': hash },
    ...o,
  });
  p.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `api-${hash}`, uid: `rs-${hash}` },
  ];
  return p;
}

const three = (hash: string, o: { ready?: boolean; deleting?: boolean } = {}) =>
  [0, 1, 2].map((i) => podOf(hash, i, o));

test('the restored ReplicaSet at full strength and the old one at 0 with its pods terminating: rolled out', () => {
  const r = assessReadiness(rolledBack(), {
    replicaSets: [rs('good1', 'api:1', 3), rs('bad2', 'api:2', 0)],
    pods: [...three('good1'), ...three('bad2', { deleting: true })],
  });
  assert.equal(r.status, 'Current');
  assert.match(r.reason, /available, 3 replica\(s\) ready \(seen on ReplicaSet api-good1/);
});

test('the same without the old pods (gone): rolled out', () => {
  const r = assessReadiness(rolledBack(), {
    replicaSets: [rs('good1', 'api:1', 3), rs('bad2', 'api:2', 0)],
    pods: three('good1'),
  });
  assert.equal(r.status, 'Current');
});

test('an old pod still serving keeps the rollout in progress', () => {
  const r = assessReadiness(rolledBack(), {
    replicaSets: [rs('good1', 'api:1', 3), rs('bad2', 'api:2', 0)],
    pods: [...three('good1'), podOf('bad2', 0)],
  });
  assert.equal(r.status, 'InProgress');
  assert.match(r.reason, /updated: 3\/3|pending termination|new ReplicaSet/);
});

test('an old ReplicaSet not yet scaled to 0 keeps it in progress', () => {
  const r = assessReadiness(rolledBack(), {
    replicaSets: [rs('good1', 'api:1', 3), rs('bad2', 'api:2', 1)],
    pods: [...three('good1'), ...three('bad2', { deleting: true })],
  });
  assert.equal(r.status, 'InProgress');
});

test('a restored pod not Ready, or too few of them, keeps it in progress', () => {
  const replicaSets = [rs('good1', 'api:1', 3), rs('bad2', 'api:2', 0)];
  const notReady = [podOf('good1', 0), podOf('good1', 1), podOf('good1', 2, { ready: false })];
  assert.equal(assessReadiness(rolledBack(), { replicaSets, pods: notReady }).status, 'InProgress');
  const two = [podOf('good1', 0), podOf('good1', 1)];
  assert.equal(assessReadiness(rolledBack(), { replicaSets, pods: two }).status, 'InProgress');
});

test('the controller has not scaled the restored ReplicaSet up yet: in progress', () => {
  const r = assessReadiness(rolledBack(), {
    replicaSets: [rs('good1', 'api:1', 2), rs('bad2', 'api:2', 0)],
    pods: [podOf('good1', 0), podOf('good1', 1)],
  });
  assert.equal(r.status, 'InProgress');
});

test('no ReplicaSet of the current template (the old template at full strength): in progress', () => {
  const r = assessReadiness(rolledBack(), {
    replicaSets: [rs('bad2', 'api:2', 3)],
    pods: three('bad2'),
  });
  assert.equal(r.status, 'InProgress');
});

test('a Deployment scaled to 0 is left to its status (every ReplicaSet is at 0)', () => {
  const r = assessReadiness(rolledBack({ replicas: 0 }), {
    replicaSets: [rs('good1', 'api:1', 0), rs('bad2', 'api:2', 0)],
    pods: [],
  });
  assert.equal(r.status, 'InProgress');
});

test('two ReplicaSets still scaled up: in progress', () => {
  const r = assessReadiness(rolledBack(), {
    replicaSets: [rs('good1', 'api:1', 3), rs('bad2', 'api:2', 3)],
    pods: [...three('good1'), ...three('bad2', { deleting: true })],
  });
  assert.equal(r.status, 'InProgress');
});

test('with minReadySeconds the ReplicaSet controller must count the pods available', () => {
  const d = rolledBack({ minReadySeconds: 10 });
  const pods = three('good1');
  const early = [rs('good1', 'api:1', 3, { availableReplicas: 2 }), rs('bad2', 'api:2', 0)];
  assert.equal(assessReadiness(d, { replicaSets: early, pods }).status, 'InProgress');
  const later = [rs('good1', 'api:1', 3, { availableReplicas: 3 }), rs('bad2', 'api:2', 0)];
  assert.equal(assessReadiness(d, { replicaSets: later, pods }).status, 'Current');
});

test('ReplicaSets of another Deployment do not count', () => {
  const other = rs('good1', 'api:1', 3);
  other.metadata.ownerReferences = [{ uid: 'd-uid-other' }];
  const r = assessReadiness(rolledBack(), { replicaSets: [other], pods: three('good1') });
  assert.equal(r.status, 'InProgress');
});
