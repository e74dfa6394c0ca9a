// berth's own service as rendered from the spec (ADR 0115): the identity holds exactly what the
// allowlist and the autoscaler need, the pod is hardened, the NetworkPolicy allows only the named
// destinations, and berth serve can read the spec it is given.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { berthPools } from '../../src/autoscale/pools.ts';
import { llmDefaults } from '../../src/llm/config.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { contextOf } from '../../src/render/context.ts';
import { urlPeers } from '../../src/render/service-network.ts';
import { berthLlm } from '../../src/spec/schema/berth-service.ts';
import { readWatchdogConfig } from '../../src/watchdog/config.ts';
import { parseYamlStream } from '../../src/yaml/stream.ts';
import {
  platformDoc,
  poolDocs,
  renderText,
  rulesBoundTo,
  watchdogDoc,
  workspaceOf,
  WRITE_VERBS,
} from './service-support.ts';

/** The writes each action needs, written out here (not read from src/watchdog/rbac.ts). */
const actionWrites: Record<string, string[]> = {
  'rollout-restart': ['apps/deployments:patch', 'apps/statefulsets:patch', 'apps/daemonsets:patch'],
  'delete-pod': ['/pods:delete'],
  scale: [
    'apps/deployments/scale:get',
    'apps/deployments/scale:patch',
    'apps/statefulsets/scale:get',
    'apps/statefulsets/scale:patch',
  ],
  'delete-job': ['batch/jobs:delete', 'batch/jobs:create'],
};
/** What the service writes whatever its allowlist: its state ConfigMaps and its Lease. */
const ownWrites = ['/configmaps:create', '/configmaps:patch', '/configmaps:update'];
const leaseWrites = ['coordination.k8s.io/leases:update', 'coordination.k8s.io/leases:patch'];

const CLUSTER_SCOPED = new Set([
  'nodes',
  'namespaces',
  'persistentvolumes',
  'clusterroles',
  'clusterrolebindings',
  'customresourcedefinitions',
  'storageclasses',
  'priorityclasses',
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
  'certificatesigningrequests',
]);

function writesOf(objects: KubeObject[]): string[] {
  const out = new Set<string>();
  for (const { rule } of rulesBoundTo(objects, 'apps', 'berth'))
    for (const g of rule.apiGroups)
      for (const r of rule.resources)
        for (const v of rule.verbs)
          if (WRITE_VERBS.has(v) || (v === 'get' && r.endsWith('/scale')))
            out.add(`${g}/${r}:${v}`);
  return [...out].sort();
}

const table: { name: string; actions: string[]; dryRun?: boolean }[] = [
  { name: 'notify-only', actions: [] },
  { name: 'rollout-restart', actions: ['rollout-restart'] },
  { name: 'delete-pod', actions: ['delete-pod'] },
  { name: 'scale', actions: ['scale'] },
  { name: 'delete-job', actions: ['delete-job'] },
  { name: "seed 003's", actions: ['rollout-restart', 'delete-pod'] },
  { name: 'every action', actions: ['rollout-restart', 'delete-pod', 'scale', 'delete-job'] },
  { name: 'every action, dry-run', actions: ['rollout-restart', 'scale'], dryRun: true },
];

for (const row of table)
  test(`service identity, ${row.name}: writes exactly what the allowlist needs, no *, no secrets, no cluster-scoped writes`, () => {
    const objects = renderText(
      platformDoc + watchdogDoc({ actions: row.actions, dryRun: row.dryRun ?? false }),
    );
    const expected = new Set([...ownWrites, ...leaseWrites]);
    if (!row.dryRun)
      for (const a of row.actions) for (const w of actionWrites[a] ?? []) expected.add(w);
    assert.deepEqual(writesOf(objects), [...expected].sort());
    const bound = rulesBoundTo(objects, 'apps', 'berth');
    assert.ok(bound.length > 0);
    for (const { rule } of bound) {
      const text = JSON.stringify(rule);
      assert.ok(![...rule.apiGroups, ...rule.resources, ...rule.verbs].includes('*'), text);
      assert.ok(!rule.resources.some((r) => r.startsWith('secrets')), `no Secret access: ${text}`);
      assert.ok(!rule.resources.includes('pods/exec') && !rule.resources.includes('nodes/proxy'));
      if (rule.verbs.some((v) => WRITE_VERBS.has(v)))
        for (const r of rule.resources)
          assert.ok(!CLUSTER_SCOPED.has(r.split('/')[0] ?? r), `cluster-scoped write on ${r}`);
    }
    const lease = bound.filter(({ rule }) => rule.resources.includes('leases'));
    assert.deepEqual(
      lease.map(({ rule }) => rule),
      [
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          resourceNames: ['berth-service'],
          verbs: ['get', 'update', 'patch'],
        },
      ],
      'only its own Lease, never create (the Lease is rendered)',
    );
    assert.ok(objects.some((o) => o.kind === 'Lease' && o.metadata.name === 'berth-service'));
  });

test('service identity: included namespaces bind the write role per namespace, not cluster-wide', () => {
  const objects = renderText(
    platformDoc + watchdogDoc({ actions: ['delete-pod'], include: ['bots', 'web'] }),
  );
  const act = rulesBoundTo(objects, 'apps', 'berth').filter(({ rule }) =>
    rule.verbs.includes('delete'),
  );
  assert.deepEqual(
    act.map((a) => a.kind),
    ['RoleBinding', 'RoleBinding'],
  );
});

test('with berth-scaled pools the autoscaler rules join the one identity (no berth-autoscaler account)', () => {
  const objects = renderText(platformDoc + poolDocs + watchdogDoc());
  assert.ok(!objects.some((o) => o.metadata.name === 'berth-autoscaler'));
  const accounts = objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name);
  assert.deepEqual(accounts.sort(), ['berth', 'nats', 'worker']);
  const bound = rulesBoundTo(objects, 'apps', 'berth');
  const scale = bound.find(({ rule }) => rule.resources.includes('deployments/scale'));
  assert.equal(scale?.binding, 'berth');
  assert.deepEqual(scale.rule.resourceNames, ['worker']);
  assert.deepEqual(scale.rule.verbs, ['get', 'patch']);
  const decisions = bound.find(({ rule }) =>
    rule.resourceNames?.includes('berth-service-autoscaler'),
  );
  assert.ok(decisions, "the autoscaler's decisions ConfigMap");
  const pod = deploymentOf(objects).spec.template;
  assert.equal(pod.metadata.labels['berth.dev/autoscaler'], 'true', 'the NATS store admits it');
  const nats = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'nats');
  assert.match(
    JSON.stringify(nats),
    /"namespaceSelector":\{"matchLabels":\{"kubernetes.io\/metadata.name":"apps"\}\},"podSelector":\{"matchLabels":\{"berth.dev\/autoscaler":"true"\}\}/,
  );
});

test('Platform autoscaling.service alone renders the autoscaler as the service (issue 9)', () => {
  const text = platformDoc.replace(
    '  namespace: apps\n',
    `  namespace: apps
  autoscaling:
    service:
      image: registry.example/berth:0.9.0
      replicas: 1
      dashboard: { authSecret: berth-dashboard }
`,
  );
  const objects = renderText(text + poolDocs);
  const d = deploymentOf(objects);
  assert.equal(d.spec.replicas, 1);
  assert.ok(!objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'berth'));
  assert.ok(!objects.some((o) => o.kind === 'ClusterRole'), 'no watchdog: nothing cluster-wide');
  const writes = writesOf(objects);
  assert.deepEqual(writes, [
    '/configmaps:create',
    '/configmaps:patch',
    '/configmaps:update',
    '/pods:patch',
    'apps/deployments/scale:get',
    'apps/deployments/scale:patch',
    'coordination.k8s.io/leases:patch',
    'coordination.k8s.io/leases:update',
  ]);
});

interface Deployment extends KubeObject {
  spec: {
    replicas: number;
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: Record<string, unknown> & {
        containers: (Record<string, unknown> & {
          args: string[];
          securityContext: Record<string, unknown>;
          readinessProbe: { httpGet: { path: string } };
          livenessProbe: { httpGet: { path: string } };
          startupProbe: { httpGet: { path: string } };
          resources: { requests: Record<string, string>; limits: Record<string, string> };
          env: { name: string; value?: string; valueFrom?: unknown }[];
        })[];
      };
    };
  };
}

function deploymentOf(objects: KubeObject[]): Deployment {
  const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'berth');
  assert.ok(d, 'the service Deployment');
  return d as Deployment;
}

test('the pod: 2 replicas of berth serve, restricted, read-only root, probes, resources, spread, token only here', () => {
  const objects = renderText(platformDoc + watchdogDoc());
  const d = deploymentOf(objects);
  assert.equal(d.spec.replicas, 2);
  const pod = d.spec.template.spec;
  const [c] = pod.containers;
  assert.ok(c);
  assert.deepEqual(c.args, ['serve', '/etc/berth/spec.yaml', '--listen', '0.0.0.0:8080']);
  assert.equal(pod.automountServiceAccountToken, true);
  const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'berth');
  assert.equal(
    (sa as { automountServiceAccountToken?: boolean }).automountServiceAccountToken,
    false,
  );
  assert.deepEqual(c.securityContext, {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  assert.equal(c.readinessProbe.httpGet.path, '/readyz');
  assert.equal(c.livenessProbe.httpGet.path, '/healthz');
  assert.equal(c.startupProbe.httpGet.path, '/healthz');
  // /metrics needs the bearer token: no anonymous-scrape annotation (ADR 0140).
  const annotations = (d.spec.template as { metadata?: { annotations?: Record<string, string> } })
    .metadata?.annotations;
  assert.equal(annotations?.['prometheus.io/scrape'], undefined);
  assert.ok(annotations?.['berth.dev/config-hash']);
  assert.deepEqual(c.resources.limits, { cpu: '1', memory: '512Mi', 'ephemeral-storage': '256Mi' });
  assert.equal((pod.topologySpreadConstraints as unknown[]).length, 2);
  const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'berth');
  assert.ok(pdb, 'a PodDisruptionBudget');
  assert.equal((pdb as unknown as { spec: { minAvailable: number } }).spec.minAvailable, 1);
  const others = objects.filter(
    (o) => o.kind === 'Deployment' && o.metadata.name !== 'berth',
  ) as Deployment[];
  for (const o of others) assert.notEqual(o.spec.template.spec.automountServiceAccountToken, true);
});

test('the LLM: only its key is in the environment, from the declared secret', () => {
  const objects = renderText(
    platformDoc +
      watchdogDoc({
        extra: `  llm:
    baseURL: http://litellm.litellm.svc.cluster.local:4000/v1
    model: gemini-3-flash
    apiKey: { secret: berth-env, key: LITELLM_API_KEY }
`,
      }),
  );
  const env = deploymentOf(objects).spec.template.spec.containers[0]?.env ?? [];
  assert.deepEqual(
    env.filter((e) => e.name.startsWith('BERTH_LLM')),
    [
      {
        name: 'BERTH_LLM_API_KEY',
        valueFrom: { secretKeyRef: { name: 'berth-env', key: 'LITELLM_API_KEY' } },
      },
    ],
  );
});

test('the llm section documents the defaults src/llm uses', () => {
  const fields = berthLlm.node.type === 'object' ? berthLlm.node.fields : {};
  const dflt = (k: string) => fields[k]?.node.default;
  assert.equal(dflt('timeoutSeconds'), llmDefaults.timeoutMs / 1000);
  assert.equal(dflt('incidentTokens'), llmDefaults.incidentTokens);
  assert.equal(dflt('dailyTokens'), llmDefaults.dailyTokens);
  assert.equal(dflt('answerTokens'), llmDefaults.answerTokens);
  assert.equal(dflt('answerChars'), llmDefaults.answerChars);
});

interface Policy extends KubeObject {
  spec: {
    ingress: { from: unknown[]; ports: unknown[] }[];
    egress: { to: unknown[]; ports: unknown[] }[];
  };
}

test('the NetworkPolicy: in only from the ingress controller on the HTTP port; out only to DNS, the API server, Discord, the LLM', () => {
  const objects = renderText(
    platformDoc +
      watchdogDoc({
        extra: `  llm: { baseURL: 'http://litellm.litellm.svc.cluster.local:4000/v1', model: m }
`,
      }),
  );
  const p = objects.find(
    (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'berth',
  ) as Policy;
  assert.deepEqual(p.spec.ingress, [
    {
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    },
  ]);
  const ports = p.spec.egress.map((e) => JSON.stringify(e.ports));
  assert.deepEqual(ports, [
    '[{"protocol":"UDP","port":53},{"protocol":"TCP","port":53}]',
    '[{"protocol":"TCP","port":443},{"protocol":"TCP","port":6443}]',
    '[{"protocol":"TCP","port":443}]',
    '[{"protocol":"TCP","port":4000}]',
  ]);
  assert.deepEqual(p.spec.egress[3]?.to, [
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'litellm' } } },
  ]);
  assert.match(JSON.stringify(p.spec.egress[2]?.to), /"except":\["10\.0\.0\.0\/8"/, 'public only');
  assert.equal(p.metadata.annotations?.['berth.dev/egress-notify'], 'discord.com');
  // No apiServerCidrs: any address on 443/6443, and the object says so (ADR 0142).
  assert.deepEqual(p.spec.egress[1]?.to, [
    { ipBlock: { cidr: '0.0.0.0/0' } },
    { ipBlock: { cidr: '::/0' } },
  ]);
  assert.match(p.metadata.annotations?.['berth.dev/egress-api-server'] ?? '', /^any address/);
  const pinned = renderText(
    platformDoc.replace(
      '  namespace: apps\n',
      '  namespace: apps\n  network: { apiServerCidrs: [172.18.0.2/32] }\n',
    ) + watchdogDoc(),
  ).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'berth') as Policy;
  assert.deepEqual(pinned.spec.egress[1]?.to, [{ ipBlock: { cidr: '172.18.0.2/32' } }]);
  assert.equal(pinned.metadata.annotations?.['berth.dev/egress-api-server'], '172.18.0.2/32');
});

test('the spec ConfigMap is a workspace berth serve reads as is: pools, and the ledger in its namespace', () => {
  const ws = workspaceOf(platformDoc + poolDocs + watchdogDoc());
  const objects = renderText(platformDoc + poolDocs + watchdogDoc());
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'berth-spec') as
    (KubeObject & { data: Record<string, string> }) | undefined;
  const text = cm?.data['spec.yaml'];
  assert.ok(text);
  const again = workspaceOf(text);
  assert.deepEqual(
    berthPools(again).map((p) => p.spec),
    berthPools(ws).map((p) => ({ ...p.spec, connections: [] })),
  );
  const { config, diagnostics } = readWatchdogConfig([parseYamlStream(text, 'spec.yaml')]);
  assert.deepEqual(diagnostics, []);
  assert.equal(config?.ledgerNamespace, 'apps');
  assert.equal(config?.notify[0]?.type, 'discord-bot');
  const hash = deploymentOf(objects).spec.template.metadata.annotations['berth.dev/config-hash'];
  const changed = renderText(platformDoc + poolDocs + watchdogDoc({ actions: ['delete-pod'] }));
  assert.notEqual(
    deploymentOf(changed).spec.template.metadata.annotations['berth.dev/config-hash'],
    hash,
    'a changed Watchdog document rolls the pods',
  );
});

test('egress peers from URLs: in-cluster Services, IPs, workspace components, public names', () => {
  const ws = workspaceOf(platformDoc + poolDocs);
  const ctx = contextOf(ws);
  const ns = (name: string) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
  });
  const cases: [string, ReturnType<typeof urlPeers>][] = [
    ['http://litellm.litellm.svc.cluster.local:4000/v1', { to: [ns('litellm')], port: 4000 }],
    ['http://prometheus.monitoring.svc:9090', { to: [ns('monitoring')], port: 9090 }],
    [
      'nats://nats.queues.svc.cluster.local:4222',
      {
        to: [
          {
            ...ns('queues'),
            podSelector: {
              matchLabels: {
                'app.kubernetes.io/name': 'nats',
                'app.kubernetes.io/part-of': 'demo',
              },
            },
          },
        ],
        port: 4222,
      },
    ],
    ['http://10.88.20.12:11434', { to: [{ ipBlock: { cidr: '10.88.20.12/32' } }], port: 11434 }],
    [
      'https://litellm.rogi.casa/v1',
      {
        to: urlPeers(ctx, 'apps', 'https://x.example')?.to ?? [],
        port: 443,
        host: 'litellm.rogi.casa',
      },
    ],
    ['ftp://files.example.org', undefined],
    ['not a url', undefined],
  ];
  for (const [url, expected] of cases) assert.deepEqual(urlPeers(ctx, 'apps', url), expected, url);
  assert.match(JSON.stringify(urlPeers(ctx, 'apps', 'https://x.example')?.to), /"except"/);
});
