// metrics.k8s.io on the sandbox (ADR 0120): the real metrics-server, registered through the API
// server's aggregation layer, serves the usage kwok simulates from pod annotations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiregistrationV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { parseQuantity } from '../../src/model/quantity.ts';
import { applyObjects, testKubeConfig, testNamespace, waitFor } from '../support/cluster.ts';

interface Usage {
  cpu: string;
  memory: string;
}
interface PodMetrics {
  metadata: { name: string; namespace: string };
  containers: { name: string; usage: Usage }[];
}
interface NodeMetrics {
  metadata: { name: string };
  usage: Usage;
}

const metrics = () => testKubeConfig().makeApiClient(CustomObjectsApi);
const group = { group: 'metrics.k8s.io', version: 'v1beta1' };

test('the metrics APIService is registered and Available, served by metrics-server', async () => {
  const api = testKubeConfig().makeApiClient(ApiregistrationV1Api);
  const service = await api.readAPIService({ name: 'v1beta1.metrics.k8s.io' });
  assert.equal(service.spec?.service?.name, 'metrics-server');
  assert.equal(service.spec?.service?.namespace, 'kube-system');
  assert.equal(
    service.spec?.insecureSkipTLSVerify ?? false,
    false,
    'TLS verified by the CA bundle',
  );
  const available = service.status?.conditions?.find((c) => c.type === 'Available');
  assert.equal(available?.status, 'True', JSON.stringify(available));
});

test('NodeMetrics for every sandbox node, through the API server', async () => {
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  const nodes = await core.listNode({ labelSelector: 'type=kwok' });
  assert.ok(nodes.items.length >= 5);
  const got = await waitFor(
    'NodeMetrics of every sandbox node',
    async () => {
      const list = (await metrics().listClusterCustomObject({ ...group, plural: 'nodes' })) as {
        items: NodeMetrics[];
      };
      const names = new Set(list.items.map((n) => n.metadata.name));
      return nodes.items.every((n) => names.has(n.metadata!.name!)) ? list.items : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 1000 },
  );
  for (const n of got) assert.ok((parseQuantity(n.usage.memory) ?? -1) >= 0, n.metadata.name);
});

test('a pod annotated with kwok usage shows that CPU and memory in PodMetrics', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'sandbox-metrics' });
  const pod = (name: string, cpu: string, memory: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      annotations: {
        'kwok.x-k8s.io/usage-cpu': cpu,
        'kwok.x-k8s.io/usage-memory': memory,
      } as Record<string, string>,
    },
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'app', image: 'registry.example/app:1.0.0' }],
    },
  });
  // A pod without the annotation gets kwok's default of 1m / 1Mi per container.
  const plain = pod('plain', '', '');
  plain.metadata.annotations = {};
  await applyObjects([pod('busy', '250m', '300Mi'), pod('two', '40m', '10Mi'), plain]);
  // CPU is a rate: metrics-server needs two scrapes (15 s apart) of the cumulative counter.
  const items = await waitFor(
    'PodMetrics of the three pods',
    async () => {
      const list = (await metrics().listNamespacedCustomObject({
        ...group,
        namespace,
        plural: 'pods',
      })) as { items: PodMetrics[] };
      return list.items.length === 3 ? list.items : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 1000 },
  );
  const usage = (name: string) => {
    const p = items.find((i) => i.metadata.name === name);
    assert.ok(p, name);
    return {
      cpu: parseQuantity(p.containers[0]!.usage.cpu) ?? NaN,
      memory: parseQuantity(p.containers[0]!.usage.memory) ?? NaN,
    };
  };
  const near = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual - expected) <= expected * 0.05, `${what}: ${actual} vs ${expected}`);
  near(usage('busy').cpu, 0.25, 'busy cpu');
  assert.equal(usage('busy').memory, 300 * 2 ** 20);
  near(usage('two').cpu, 0.04, 'two cpu');
  assert.equal(usage('two').memory, 10 * 2 ** 20);
  near(usage('plain').cpu, 0.001, 'plain cpu');
  assert.equal(usage('plain').memory, 2 ** 20);
});
