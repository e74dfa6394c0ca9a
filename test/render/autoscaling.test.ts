// Queue pools: engine berth (vapora) renders the autoscaler's least-privilege RBAC and no KEDA
// objects; engine keda renders ScaledObjects consistent with the same policy, with a fallback
// that holds the current replicas when the metric is lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderWorkspace } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import type { Workspace } from '../../src/spec/index.ts';
import { checkCrd } from './crds.ts';
import { exampleDir } from './examples.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Trigger {
  type: string;
  metadata: Record<string, string>;
}
interface J {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: {
    replicas?: number;
    triggers: Trigger[];
    ingress: {
      from: { podSelector?: { matchLabels?: Record<string, string> } }[];
      ports: unknown;
    }[];
  };
  rules: Rule[];
  subjects: unknown;
}
const render = (ws: Workspace) => renderWorkspace(ws) as unknown as J[];

async function vapora(engine?: 'berth' | 'keda'): Promise<Workspace> {
  const ws = await loadWorkspace(exampleDir('vapora'));
  if (engine) ws.platform.spec.autoscaling.engine = engine;
  return ws;
}

test('engine berth: the autoscaler may only read pools and pods and patch their scale and pods', async () => {
  const objects = render(await vapora());
  const roles = objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'berth-autoscaler');
  const agents = roles.find((r) => r.metadata.namespace === 'vapora-agents');
  assert.deepEqual(agents?.rules, [
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
    {
      apiGroups: ['apps'],
      resources: ['deployments/scale'],
      resourceNames: [
        'architect',
        'decision-maker',
        'developer',
        'devops',
        'documenter',
        'monitor',
        'orchestrator',
        'pm',
        'presenter',
        'reviewer',
        'security',
        'tester',
      ],
      verbs: ['get', 'patch'],
    },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'patch'] },
  ]);
  const home = roles.find((r) => r.metadata.namespace === 'vapora-system');
  assert.deepEqual(
    home?.rules.map(
      (r) => `${r.resources.join()}:${r.verbs.join()}:${r.resourceNames?.join() ?? '*'}`,
    ),
    ['leases:get,update,patch:berth-autoscaler', 'leases:create:*'],
  );
  assert.equal(
    objects.filter((o) => o.kind === 'ClusterRole' && /autoscaler/.test(o.metadata.name)).length,
    0,
  );
  const bindings = objects.filter(
    (o) => o.kind === 'RoleBinding' && o.metadata.name === 'berth-autoscaler',
  );
  for (const b of bindings)
    assert.deepEqual(b.subjects, [
      { kind: 'ServiceAccount', name: 'berth-autoscaler', namespace: 'vapora-system' },
    ]);
  // NATS and Redis admit the autoscaler's pods on their client ports.
  const natsPolicy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'nats');
  const fromAutoscaler = natsPolicy?.spec.ingress.find(
    (r) => r.from[0]?.podSelector?.matchLabels?.['berth.dev/autoscaler'] === 'true',
  );
  assert.deepEqual(fromAutoscaler?.ports, [{ protocol: 'TCP', port: 4222 }]);
});

test('engine keda: ScaledObjects carry the same policy and hold replicas on metric loss', async () => {
  const objects = render(await vapora('keda'));
  assert.equal(
    objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'berth-autoscaler').length,
    0,
  );
  const scaled = objects.filter((o) => o.kind === 'ScaledObject');
  assert.equal(scaled.length, 12);
  for (const s of scaled)
    assert.deepEqual(checkCrd(s as unknown as Parameters<typeof checkCrd>[0]), [], s.metadata.name);
  const dev = scaled.find((s) => s.metadata.name === 'developer');
  assert.deepEqual((dev as unknown as { spec: unknown } | undefined)?.spec, {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'developer' },
    pollingInterval: 2,
    cooldownPeriod: 10,
    minReplicaCount: 5,
    maxReplicaCount: 20,
    fallback: { failureThreshold: 3, replicas: 5, behavior: 'currentReplicas' },
    advanced: {
      horizontalPodAutoscalerConfig: {
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Min',
            policies: [{ type: 'Pods', value: 2, periodSeconds: 4 }],
          },
          scaleDown: {
            stabilizationWindowSeconds: 2,
            selectPolicy: 'Min',
            policies: [{ type: 'Pods', value: 1, periodSeconds: 10 }],
          },
        },
      },
    },
    triggers: [
      {
        type: 'nats-jetstream',
        metadata: {
          natsServerMonitoringEndpoint: 'nats.vapora-system.svc.cluster.local:8222',
          account: '$G',
          stream: 'VAPORA_TASKS',
          consumer: 'developer',
          lagThreshold: '10',
          activationLagThreshold: '0',
        },
      },
    ],
  });
  const documenter = scaled.find((s) => s.metadata.name === 'documenter');
  assert.equal(documenter?.spec.triggers[0]?.type, 'redis');
  assert.equal(documenter?.spec.triggers[0]?.metadata.listLength, '5', 'scaleUpAbove 5');
  const deployment = objects.find(
    (o) => o.kind === 'Deployment' && o.metadata.name === 'developer',
  );
  assert.equal(deployment?.spec.replicas, undefined, 'KEDA owns replicas too');
  assert.equal(deployment?.metadata.annotations?.['berth.dev/autoscaler'], undefined);
});

test('a pool may choose its own engine against the platform default', async () => {
  const ws = await vapora('berth');
  const pool = ws.components.find((c) => c.name === 'presenter');
  assert.ok(pool?.kind === 'AgentPool');
  pool.spec.scaling.engine = 'keda';
  const objects = render(ws);
  assert.deepEqual(
    objects.filter((o) => o.kind === 'ScaledObject').map((o) => o.metadata.name),
    ['presenter'],
  );
  const role = objects.find(
    (o) =>
      o.kind === 'Role' &&
      o.metadata.namespace === 'vapora-agents' &&
      o.metadata.name === 'berth-autoscaler',
  );
  assert.ok(
    !role?.rules[1]?.resourceNames?.includes('presenter'),
    'berth never scales a KEDA pool',
  );
});
