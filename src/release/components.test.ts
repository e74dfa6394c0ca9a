import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import {
  checkScale,
  componentsOf,
  parseAddress,
  pickRelease,
  restartPatch,
  withImage,
  workloadsOf,
} from './components.ts';
import { formatStatus, isUnhealthy, statusRow } from './status.ts';

const deployment = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'web', labels: { 'berth.dev/component': name }, ...extra },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'sidecar', image: 'proxy:1' },
          { name, image: `${name}:1` },
        ],
      },
    },
  },
});

test('components: addresses are <release>/<component> or <component>', () => {
  assert.deepEqual(parseAddress('vapora/backend'), { release: 'vapora', component: 'backend' });
  assert.deepEqual(parseAddress('backend'), { component: 'backend' });
  for (const bad of ['a/b/c', '/x', 'x/', ''])
    assert.throws(() => parseAddress(bad), /<release>\/<component>/);
});

test('components: the one release that has the component, or a clear error', () => {
  const releases = new Map([
    ['vapora', ['backend', 'frontend']],
    ['archon', ['backend', 'ui']],
  ]);
  assert.equal(pickRelease({ component: 'ui' }, releases), 'archon');
  assert.equal(pickRelease({ release: 'vapora', component: 'backend' }, releases), 'vapora');
  assert.throws(
    () => pickRelease({ component: 'backend' }, releases),
    /several releases \(archon, vapora\): write <release>\/backend/,
  );
  assert.throws(
    () => pickRelease({ release: 'vapora', component: 'ui' }, releases),
    /no component ui in release vapora \(components: backend, frontend\)/,
  );
});

test('components: workloads and components of a release', () => {
  const objects = [
    deployment('api'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', labels: { 'berth.dev/component': 'api' } },
    },
  ];
  assert.deepEqual(
    workloadsOf(objects, 'api').map((o) => o.kind),
    ['Deployment'],
  );
  assert.deepEqual(componentsOf(objects), ['api']);
});

test('components: upgrade changes the container named after the component, or the one asked for', () => {
  const objects = [deployment('api'), deployment('web')];
  const { objects: out, changes } = withImage(objects, 'api', 'api:2');
  assert.deepEqual(changes, [{ workload: 'api', container: 'api', from: 'api:1' }]);
  const containers = (out[0]?.spec as { template: { spec: { containers: { image: string }[] } } })
    .template.spec.containers;
  assert.deepEqual(
    containers.map((c) => c.image),
    ['proxy:1', 'api:2'],
  );
  assert.equal(out[1], objects[1], 'other components untouched');
  assert.equal(withImage(objects, 'api', 'proxy:2', 'sidecar').changes[0]?.container, 'sidecar');
  assert.throws(() => withImage(objects, 'api', 'x', 'nope'), /no container nope/);
  assert.throws(() => withImage(objects, 'db', 'x'), /runs no workload/);
});

test('components: scale refuses a single writer above 1 and warns about autoscalers', () => {
  const agent = deployment('clovis', { annotations: { 'berth.dev/singleton': 'true' } });
  assert.match(checkScale(agent, 2, []).refuse ?? '', /single-writer agent/);
  assert.equal(checkScale(agent, 1, []).refuse, undefined);
  assert.equal(checkScale(agent, 0, []).refuse, undefined);
  const hpa: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' } },
  };
  assert.deepEqual(checkScale(deployment('api'), 5, [hpa]).warnings, [
    'HorizontalPodAutoscaler api owns the replicas of Deployment api: it will change them back as it sees fit',
  ]);
  const pool = deployment('pool', { annotations: { 'berth.dev/autoscaler': 'berth' } });
  assert.match(
    checkScale(pool, 5, []).warnings[0] ?? '',
    /^berth's autoscaler owns the replicas of Deployment pool/,
  );
});

test('components: restart is the kubectl rollout restart annotation', () => {
  assert.deepEqual(restartPatch(Date.parse('2026-12-02T12:00:00Z')), {
    spec: {
      template: {
        metadata: {
          annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-02T12:00:00.000Z' },
        },
      },
    },
  });
});

test('status: rows judge live workloads with the readiness engine', () => {
  const w = deployment('api');
  const live: KubeObject = {
    ...w,
    metadata: { ...w.metadata, generation: 1 },
    status: {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
  const pod = (name: string, node: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'web', labels: { app: 'api' } },
    spec: { nodeName: node },
  });
  const row = statusRow({ name: 'vapora', revision: 3 }, w, live, {
    pods: [pod('a', 'n2'), pod('b', 'n1')],
    replicaSets: [],
  });
  assert.deepEqual(
    { ...row, reason: '' },
    {
      release: 'vapora',
      revision: 3,
      component: 'api',
      kind: 'Deployment',
      namespace: 'web',
      name: 'api',
      ready: 2,
      desired: 2,
      nodes: ['n1', 'n2'],
      status: 'Current',
      reason: '',
    },
  );
  const missing = statusRow({ name: 'vapora', revision: 3 }, w, undefined, {
    pods: [],
    replicaSets: [],
  });
  assert.equal(missing.status, 'Missing');
  assert.equal(isUnhealthy([row]), false);
  assert.equal(isUnhealthy([row, missing]), true);
  assert.match(
    formatStatus([row, missing]),
    /^RELEASE\s+REV\s+COMPONENT\s+WORKLOAD\s+READY\s+NODES\s+STATUS\nvapora\s+3\s+api\s+Deployment web\/api\s+2\/2\s+n1,n2\s+Ready\n.*Missing: not found on the cluster\n$/,
  );
});
