// Wait benchmark: the CPU and memory berth's wait spends on 300 agents rolling out. The
// cluster is the in-memory port driven by a simulated controller (ReplicaSet, pod phases,
// Deployment status: ~10 watch events per agent, as on the sandbox). The simulation alone is
// measured first and subtracted, so the figure is the wait's own cost (informers, index,
// readiness engine). Target (issue 7 §6b): under 3 s CPU and 120 MB RSS for 300 agents.
import { waitForReadiness } from '../src/deploy/wait.ts';
import { MemoryKube } from '../src/kube/memory/index.ts';
import type { KubeObject } from '../src/model/object.ts';
import { report } from './measure.ts';

const agents = Number(process.env.BERTH_BENCH_AGENTS ?? 300);
const m = { fieldManager: 'bench' };
const ns = 'bots';

function deployment(name: string): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'agent', image: 'agent:1.4.2', env: [{ name: 'A', value: name }] }],
        },
      },
    },
  };
}

async function setup(): Promise<{ kube: MemoryKube; applied: KubeObject[] }> {
  const kube = new MemoryKube();
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, m);
  const applied: KubeObject[] = [];
  for (let i = 0; i < agents; i++)
    applied.push((await kube.apply(deployment(`agent-${String(i).padStart(4, '0')}`), m)).object);
  return { kube, applied };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Plays the controllers: per agent a ReplicaSet, a pod going Pending → Running → Ready, statuses. */
async function simulate(kube: MemoryKube, applied: readonly KubeObject[]): Promise<void> {
  const status = (kind: string, name: string, body: unknown): Promise<KubeObject> =>
    kube.patch(
      { apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, namespace: ns, name },
      { status: body },
      { type: 'merge', fieldManager: 'kcm', subresource: 'status' },
    );
  const rsOf = new Map<string, KubeObject>();
  for (const d of applied) {
    const name = d.metadata.name;
    const labels = { app: name, 'pod-template-hash': 'abc' };
    const rs = await kube.create(
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-abc`,
          namespace: ns,
          labels,
          annotations: { 'deployment.kubernetes.io/revision': '1' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name,
              uid: d.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: {} },
        },
      },
      m,
    );
    rsOf.set(name, rs);
    await kube.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${name}-abc-x1`,
          namespace: ns,
          labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rs.metadata.name,
              uid: rs.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: { containers: [{ name: 'agent', image: 'agent:1.4.2' }], nodeName: 'kwok-node-0' },
        status: { phase: 'Pending' },
      },
      m,
    );
    await tick();
  }
  for (const phase of ['scheduled', 'running', 'ready'] as const) {
    for (const d of applied) {
      const pod = `${d.metadata.name}-abc-x1`;
      const ready = phase === 'ready' ? 'True' : 'False';
      await status('Pod', pod, {
        phase: phase === 'scheduled' ? 'Pending' : 'Running',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: ready },
        ],
        containerStatuses: [
          {
            name: 'agent',
            ready: phase === 'ready',
            state:
              phase === 'scheduled'
                ? { waiting: { reason: 'ContainerCreating' } }
                : { running: {} },
          },
        ],
      });
      await tick();
    }
  }
  for (const d of applied) {
    const name = d.metadata.name;
    await status('ReplicaSet', `${name}-abc`, {
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      fullyLabeledReplicas: 1,
      observedGeneration: 1,
    });
    await status('Deployment', name, {
      observedGeneration: d.metadata.generation,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    });
    await tick();
  }
}

function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

// 1. The simulation alone (what the fake cluster costs).
const base = await setup();
const simStart = process.cpuUsage();
await simulate(base.kube, base.applied);
const simulationMs = cpuMs(simStart);
base.kube.close();
(globalThis as { gc?: () => void }).gc?.();

// 2. The same simulation while berth waits.
const run = await setup();
run.kube.compact();
(globalThis as { gc?: () => void }).gc?.();
const baseRss = process.memoryUsage().rss;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const start = process.cpuUsage();
const wallStart = Date.now();
const waiting = waitForReadiness(
  run.kube,
  run.applied.map((obj) => ({ obj })),
  {
    deadline: Date.now() + 300_000,
    start: Date.now(),
    pvcConsumers: new Map(),
    onEvent: () => undefined,
  },
);
await simulate(run.kube, run.applied);
const result = await waiting;
const totalMs = cpuMs(start);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
if (result.outcome !== 'ready') throw new Error(`the wait ended ${result.outcome}`);
const waitCpu = Math.max(0, totalMs - simulationMs);
console.log(
  `${agents} agents: wait ready in ${Date.now() - wallStart} ms wall; CPU ${Math.round(totalMs)} ms with the simulation, ${Math.round(simulationMs)} ms simulation alone => wait ${Math.round(waitCpu)} ms; peak RSS ${Math.round(peakRss / 2 ** 20)} MB (before the wait ${Math.round(baseRss / 2 ** 20)} MB: node, tsx and the simulated cluster)`,
);
report({
  suite: 'wait',
  metric: `wait CPU, ${agents} agents rolling out`,
  unit: 'ms',
  berth: Math.round(waitCpu),
  target: '< 3000 ms',
});
report({
  suite: 'wait',
  metric: `RSS growth during the wait, ${agents} agents`,
  unit: 'MB',
  berth: Math.round((peakRss - baseRss) / 2 ** 20),
  target: 'process < 120 MB',
});
run.kube.close();
