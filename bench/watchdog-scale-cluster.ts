// The watchdog scale bench's cluster: N kwok nodes (tainted, so nothing else lands there) and one
// Deployment per node with `podsPerNode` replicas, each pod with a simulated usage (kwok's usage
// annotations, so metrics.k8s.io has 5,000 PodMetrics). Idempotent: a re-run reuses them.
import type { KubeApi } from '../src/kube/api.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export const scaleNamespace = 'bench-wd-scale';
const write = { fieldManager: 'berth-bench' };
const nodeName = (i: number) => `bench-wd-${String(i + 1).padStart(2, '0')}`;

function node(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'berth.dev/bench': 'watchdog', 'kubernetes.io/hostname': name },
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${name}/metrics/resource`,
        'sandbox.berth.dev/cpu': '16',
        'sandbox.berth.dev/memory': '64Gi',
        'sandbox.berth.dev/pods': '110',
      },
    },
    spec: { taints: [{ key: 'berth.dev/bench', value: 'watchdog', effect: 'NoSchedule' }] },
  };
}

function load(i: number, replicas: number) {
  const name = `load-${String(i + 1).padStart(2, '0')}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: scaleNamespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name },
          annotations: {
            'kwok.x-k8s.io/usage-cpu': `${((i % 10) + 1) * 5}m`,
            'kwok.x-k8s.io/usage-memory': `${((i % 7) + 1) * 16}Mi`,
          },
        },
        spec: {
          nodeSelector: { 'kubernetes.io/hostname': nodeName(i) },
          tolerations: [{ key: 'berth.dev/bench', operator: 'Exists' }],
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'app',
              image: 'registry.example/app:1.0.0',
              resources: { requests: { cpu: '5m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  };
}

/** Makes the nodes and Deployments and waits until every pod runs; returns the pod count. */
export async function populate(
  api: KubeApi,
  o: { nodes: number; podsPerNode: number; log: (line: string) => void; timeoutMs?: number },
): Promise<{ pods: number }> {
  for (let i = 0; i < o.nodes; i++) await api.apply(node(nodeName(i)), write);
  await api.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: scaleNamespace } },
    write,
  );
  for (let i = 0; i < o.nodes; i++) await api.apply(load(i, o.podsPerNode), write);
  const want = o.nodes * o.podsPerNode;
  const deadline = Date.now() + (o.timeoutMs ?? 20 * 60_000);
  let last = 0;
  for (;;) {
    const running = await api.list(
      { apiVersion: 'v1', kind: 'Pod', namespace: scaleNamespace },
      { fieldSelector: 'status.phase=Running', deadline: Date.now() + 60_000 },
    );
    const n = running.items.length;
    if (n >= want) return { pods: n };
    if (Date.now() > deadline) throw new Error(`only ${n} of ${want} bench pods Running in time`);
    if (Date.now() - last > 30_000) {
      o.log(`${n} of ${want} pods Running`);
      last = Date.now();
    }
    await sleep(5_000);
  }
}

/** Deletes the bench namespace and nodes. */
export async function unpopulate(api: KubeApi, nodes: number): Promise<void> {
  await api.delete({ apiVersion: 'v1', kind: 'Namespace', name: scaleNamespace });
  for (let i = 0; i < nodes; i++)
    await api.delete({ apiVersion: 'v1', kind: 'Node', name: nodeName(i) });
}
