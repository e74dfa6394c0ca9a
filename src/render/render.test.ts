import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import { isSpecDocument, validateWorkspace } from '../spec/index.ts';
import { parseYamlStream } from '../yaml/stream.ts';
import { renderComponents, renderToFolder, renderWorkspace } from './index.ts';

const workspace = `apiVersion: berth.dev/v1alpha1
kind: Platform
metadata: { name: demo }
spec:
  namespace: apps
---
apiVersion: berth.dev/v1alpha1
kind: Secret
metadata: { name: creds }
spec:
  existing: { name: prod-creds }
---
apiVersion: berth.dev/v1alpha1
kind: Store
metadata: { name: nats }
spec: { engine: nats, image: 'nats:2.10.24-alpine', replicas: 3 }
---
apiVersion: berth.dev/v1alpha1
kind: Service
metadata: { name: api }
spec:
  image: ghcr.io/acme/api:1.0.0
  replicas: 1
  ports: [{ name: http, port: 8080 }]
  envFrom: [creds]
  connections: [{ to: nats, port: client }]
  egress:
    - { name: bank, cidrs: [203.0.113.0/24], ports: [8443] }
    - { name: github, hosts: [api.github.com] }
---
apiVersion: berth.dev/v1alpha1
kind: AgentPool
metadata: { name: worker, namespace: workers }
spec:
  image: ghcr.io/acme/worker:1.0.0
  ports: [{ name: http, port: 8089, expose: false }]
  connections: [{ to: api }]
`;

function validated() {
  const { workspace: ws, diagnostics } = validateWorkspace([parseYamlStream(workspace, 'ws.yaml')]);
  assert.deepEqual(diagnostics, []);
  assert.ok(ws);
  return ws;
}
function render(): KubeObject[] {
  return renderWorkspace(validated());
}
const find = (objects: KubeObject[], kind: string, name: string, namespace?: string) => {
  const o = objects.find(
    (x) =>
      x.kind === kind &&
      x.metadata.name === name &&
      (namespace === undefined || x.metadata.namespace === namespace),
  );
  assert.ok(o, `${kind} ${name}`);
  return o as KubeObject & { spec: Record<string, unknown> };
};

test('isSpecDocument tells berth documents from Kubernetes manifests', () => {
  const cases: [unknown, boolean][] = [
    [{ apiVersion: 'berth.dev/v1alpha1', kind: 'Agent' }, true],
    [{ apiVersion: 'apps/v1', kind: 'Deployment' }, false],
    [null, false],
    ['berth.dev/v1alpha1', false],
  ];
  for (const [value, expected] of cases) assert.equal(isSpecDocument(value), expected);
});

test('edges become ingress on the target and egress on the caller, across namespaces', () => {
  const objects = render();
  const api = find(objects, 'NetworkPolicy', 'api', 'apps').spec as {
    ingress: unknown[];
    egress: unknown[];
  };
  assert.deepEqual(api.ingress, [
    {
      from: [
        {
          podSelector: {
            matchLabels: {
              'app.kubernetes.io/name': 'worker',
              'app.kubernetes.io/part-of': 'demo',
            },
          },
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'workers' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 8080 }],
    },
  ]);
  assert.deepEqual(api.egress[0], {
    to: [
      {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/part-of': 'demo' },
        },
      },
    ],
    ports: [{ protocol: 'TCP', port: 4222 }],
  });
  assert.deepEqual(api.egress[1], {
    to: [{ ipBlock: { cidr: '203.0.113.0/24' } }],
    ports: [{ protocol: 'TCP', port: 8443 }],
  });
  const github = api.egress[2] as {
    to: { ipBlock: { cidr: string; except: string[] } }[];
    ports: unknown[];
  };
  assert.equal(github.to[0]?.ipBlock.cidr, '0.0.0.0/0');
  assert.ok(github.to[0]?.ipBlock.except.includes('10.0.0.0/8'));
  assert.ok(github.to[0]?.ipBlock.except.includes('169.254.0.0/16'));
  assert.deepEqual(github.ports, [{ protocol: 'TCP', port: 443 }]);
  assert.equal(
    find(objects, 'NetworkPolicy', 'api').metadata.annotations?.['berth.dev/egress-github'],
    'api.github.com',
  );
});

test('a clustered NATS store gets routes, a headless Service, pod-to-pod rules and a PDB', () => {
  const objects = render();
  const sts = find(objects, 'StatefulSet', 'nats') as unknown as {
    spec: { podManagementPolicy: string; template: { spec: { containers: { args: string[] }[] } } };
  };
  assert.equal(sts.spec.podManagementPolicy, 'Parallel');
  const args = sts.spec.template.spec.containers[0]?.args ?? [];
  assert.equal(
    args[args.indexOf('--routes') + 1],
    'nats://nats-0.nats-headless.apps.svc:6222,nats://nats-1.nats-headless.apps.svc:6222,nats://nats-2.nats-headless.apps.svc:6222',
  );
  assert.equal(
    (find(objects, 'Service', 'nats-headless').spec as { clusterIP: string }).clusterIP,
    'None',
  );
  assert.equal(
    (find(objects, 'PodDisruptionBudget', 'nats').spec as { minAvailable: number }).minAvailable,
    2,
  );
});

test('an existing secret is referenced by its name and renders nothing; one replica gets no PDB', () => {
  const objects = render();
  assert.equal(objects.filter((o) => o.kind === 'ExternalSecret').length, 0);
  const api = find(objects, 'Deployment', 'api') as unknown as {
    spec: { template: { spec: { containers: { envFrom: unknown[] }[] } } };
  };
  assert.deepEqual(api.spec.template.spec.containers[0]?.envFrom, [
    { secretRef: { name: 'prod-creds' } },
  ]);
  assert.equal(
    objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'api'),
    false,
  );
  assert.deepEqual(
    objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
    ['apps', 'workers'],
  );
});

test('render says which component produced each object; shared objects belong to the platform', () => {
  const rendered = renderComponents(validated());
  const owner = (kind: string, name: string) =>
    rendered.find((r) => r.object.kind === kind && r.object.metadata.name === name)?.component;
  assert.equal(owner('Deployment', 'api'), 'api');
  assert.equal(owner('Deployment', 'worker'), 'worker');
  assert.equal(owner('Namespace', 'apps'), 'demo');
  for (const r of rendered)
    assert.equal(r.component, r.object.metadata.labels?.['berth.dev/component'], r.object.kind);
});

test('renderToFolder groups objects by component with a kustomization each', () => {
  const files = renderToFolder(renderComponents(validated()));
  assert.ok(files.has('api/k8s/deployment-api.yaml'));
  assert.ok(files.has('demo/k8s/namespace-apps.yaml'));
  const kustomization = files.get('worker/k8s/kustomization.yaml') ?? '';
  assert.match(
    kustomization,
    /^apiVersion: kustomize.config.k8s.io\/v1beta1\nkind: Kustomization\nresources:\n {2}- /,
  );
  assert.match(kustomization, /- deployment-worker.yaml/);
});
