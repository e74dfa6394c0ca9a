// kwok runs the pods: workloads reach their ready states through the real controllers, the
// scheduler honours requests, taints and tolerations, and fault annotations produce failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppsV1Api, BatchV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { testKubeConfig, testNamespace, waitFor } from '../support/cluster.ts';
import { restrictedContainer, restrictedPodSpec } from './restricted.ts';

const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };

function api() {
  const kc = testKubeConfig();
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
  };
}

async function podsOf(namespace: string, selector: string): Promise<V1Pod[]> {
  return (await api().core.listNamespacedPod({ namespace, labelSelector: selector })).items;
}

test('a restricted Deployment becomes Available on kwok nodes', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'deploy', labels: restricted });
  const { apps, core } = api();
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: restrictedPodSpec() },
      },
    },
  });
  const deployment = await waitFor(
    'Deployment web to be Available with 3 ready replicas',
    async () => {
      const d = await apps.readNamespacedDeployment({ namespace, name: 'web' });
      const available = d.status?.conditions?.find((c) => c.type === 'Available');
      return available?.status === 'True' && d.status?.readyReplicas === 3 ? d : undefined;
    },
  );
  assert.equal(deployment.status?.availableReplicas, 3);
  const pods = await podsOf(namespace, 'app=web');
  assert.equal(pods.length, 3);
  for (const pod of pods) {
    assert.equal(pod.status?.phase, 'Running');
    assert.ok(pod.status?.podIP, 'kwok gives each pod an IP');
    const node = await core.readNode({ name: pod.spec?.nodeName ?? '' });
    assert.equal(node.metadata?.labels?.type, 'kwok');
    assert.equal(
      node.metadata?.labels?.['berth.dev/pool'],
      'general',
      'untolerated pods avoid bots',
    );
  }
});

test('a DaemonSet is ready with one pod on each general node (bots nodes are tainted)', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'ds', labels: restricted });
  const { apps, core } = api();
  await apps.createNamespacedDaemonSet({
    namespace,
    body: {
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: restrictedPodSpec({ nodeSelector: { type: 'kwok' } }),
        },
      },
    },
  });
  const generalNodes = (await core.listNode({ labelSelector: 'berth.dev/pool=general' })).items;
  const ds = await waitFor('DaemonSet agent to be ready on every general node', async () => {
    const d = await apps.readNamespacedDaemonSet({ namespace, name: 'agent' });
    const s = d.status;
    return s && s.desiredNumberScheduled > 0 && s.numberReady === s.desiredNumberScheduled
      ? d
      : undefined;
  });
  assert.equal(ds.status?.desiredNumberScheduled, generalNodes.length);
  const nodes = (await podsOf(namespace, 'app=agent')).map((p) => p.spec?.nodeName).sort();
  assert.deepEqual(nodes, generalNodes.map((n) => n.metadata?.name).sort());
});

test('the bots pool: tolerated pods land on it, others are kept off by its taint', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'bots', labels: restricted });
  const { core } = api();
  const onBots = { nodeSelector: { 'berth.dev/pool': 'bots' } };
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: 'tolerated' },
      spec: restrictedPodSpec({
        ...onBots,
        tolerations: [{ key: 'berth.dev/pool', operator: 'Equal', value: 'bots' }],
      }),
    },
  });
  await core.createNamespacedPod({
    namespace,
    body: { metadata: { name: 'untolerated' }, spec: restrictedPodSpec(onBots) },
  });
  const tolerated = await waitFor('pod tolerated to be Ready', async () => {
    const pod = await core.readNamespacedPod({ namespace, name: 'tolerated' });
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    return ready?.status === 'True' ? pod : undefined;
  });
  assert.match(tolerated.spec?.nodeName ?? '', /^sandbox-bots-\d$/);
  const scheduled = await waitFor('pod untolerated to be found unschedulable', async () => {
    const pod = await core.readNamespacedPod({ namespace, name: 'untolerated' });
    const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    return condition?.reason === 'Unschedulable' ? condition : undefined;
  });
  // The two bots nodes match the selector and are refused for their taint.
  assert.match(scheduled.message ?? '', /2 node\(s\) had untolerated taint/);
});

test('nodes have realistic capacity: a pod asking for more CPU than any node stays Pending', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'capacity', labels: restricted });
  const { core } = api();
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: 'huge' },
      spec: restrictedPodSpec({ containers: [restrictedContainer('main', '64')] }),
    },
  });
  const condition = await waitFor('pod huge to be found unschedulable', async () => {
    const pod = await core.readNamespacedPod({ namespace, name: 'huge' });
    const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
    return c?.reason === 'Unschedulable' ? c : undefined;
  });
  assert.match(condition.message ?? '', /Insufficient cpu/);
});

test('a Job completes', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'job', labels: restricted });
  const { batch } = api();
  await batch.createNamespacedJob({
    namespace,
    body: {
      metadata: { name: 'once' },
      spec: {
        completions: 2,
        backoffLimit: 0,
        template: { spec: restrictedPodSpec({ restartPolicy: 'Never' }) },
      },
    },
  });
  const job = await waitFor('Job once to complete', async () => {
    const j = await batch.readNamespacedJob({ namespace, name: 'once' });
    return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')
      ? j
      : undefined;
  });
  assert.equal(job.status?.succeeded, 2);
});

const faults = [
  { fault: 'crash-loop', reason: 'CrashLoopBackOff', phase: 'Running', restarts: true },
  { fault: 'image-pull', reason: 'ImagePullBackOff', phase: 'Pending', restarts: false },
  {
    fault: 'config-error',
    reason: 'CreateContainerConfigError',
    phase: 'Pending',
    restarts: false,
  },
];

for (const { fault, reason, phase, restarts } of faults)
  test(`the fault annotation ${fault} makes the containers wait in ${reason}`, async (t) => {
    const namespace = await testNamespace(t, { prefix: fault, labels: restricted });
    const { apps } = api();
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'faulty' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'faulty' } },
          template: {
            metadata: {
              labels: { app: 'faulty' },
              annotations: { 'berth.dev/sandbox-fault': fault },
            },
            spec: restrictedPodSpec(),
          },
        },
      },
    });
    const pod = await waitFor(`a pod of faulty to wait in ${reason}`, async () => {
      const [p] = await podsOf(namespace, 'app=faulty');
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === reason ? p : undefined;
    });
    const status = pod.status?.containerStatuses?.[0];
    assert.equal(pod.status?.phase, phase);
    assert.equal(status?.ready, false);
    assert.equal((status?.restartCount ?? 0) > 0, restarts);
    if (restarts) assert.equal(status?.lastState?.terminated?.exitCode, 1);
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    const deployment = await apps.readNamespacedDeployment({ namespace, name: 'faulty' });
    assert.ok((deployment.status?.readyReplicas ?? 0) === 0);
  });
