// The self-audit: a table over rule sets (pure; named classes alone, and against the rules the
// generated role grants), and on the test cluster: the admin identity (cluster-admin) is refused
// with each excess named; a ServiceAccount bound to a read-mostly Role passes; one bound to a
// RoleBinding in a namespace berth never named is caught when every namespace is reviewed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectKube } from '../../src/kube/connect.ts';
import { auditOwnPower } from '../../src/service/adapters/self-audit.ts';
import { serviceIdentity } from '../../src/render/service-rbac.ts';
import {
  findExcess,
  neededIn,
  neededRules,
  type ResourceRule,
} from '../../src/service/self-audit.ts';
import { detectors as allDetectors } from '../../src/watchdog/detectors/index.ts';
import { kubeconfigFile } from '../watchdog/support.ts';
import { serviceAccountKubeConfig, testKubeconfig, testKubeConfig } from '../support/cluster.ts';
import { RbacAuthorizationV1Api, CoreV1Api } from '@kubernetes/client-node';

const cases: { name: string; rules: Parameters<typeof findExcess>[0]; ids: string[] }[] = [
  {
    name: 'cluster-admin',
    rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    ids: [
      'wildcard-verb',
      'wildcard-resource',
      'secrets-write',
      'rbac-write',
      'cluster-scoped-write',
      'pod-exec',
      'token-create',
      'node-proxy',
      'secrets-read',
    ],
  },
  {
    // `*` includes pods/exec (get upgrades to a websocket exec), nodes/proxy and Secrets.
    name: 'read everything',
    rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] }],
    ids: ['pod-exec', 'node-proxy', 'secrets-read'],
  },
  {
    name: 'create pods/exec',
    rules: [{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }],
    ids: ['pod-exec'],
  },
  {
    name: 'create serviceaccounts/token',
    rules: [{ verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] }],
    ids: ['token-create'],
  },
  {
    name: 'get nodes/proxy',
    rules: [{ verbs: ['get'], apiGroups: [''], resources: ['nodes/proxy'] }],
    ids: ['node-proxy'],
  },
  {
    name: 'list secrets',
    rules: [{ verbs: ['list'], apiGroups: [''], resources: ['secrets'] }],
    ids: ['secrets-read'],
  },
  {
    name: 'create ingressclasses',
    rules: [{ verbs: ['create'], apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'] }],
    ids: ['cluster-scoped-write'],
  },
  {
    name: 'secrets write',
    rules: [{ verbs: ['update'], apiGroups: [''], resources: ['secrets'] }],
    ids: ['secrets-write'],
  },
  {
    name: 'rbac bind',
    rules: [
      { verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'] },
    ],
    ids: ['rbac-write'],
  },
  {
    name: 'namespace delete',
    rules: [{ verbs: ['delete'], apiGroups: [''], resources: ['namespaces'] }],
    ids: ['cluster-scoped-write'],
  },
  {
    name: 'watchdog allowlist',
    rules: [
      { verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'] },
      { verbs: ['delete'], apiGroups: [''], resources: ['pods'] },
      {
        verbs: ['get', 'create', 'update', 'patch'],
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
      },
    ],
    ids: [],
  },
  {
    name: 'non-resource URLs',
    rules: [{ verbs: ['*'], nonResourceURLs: ['/healthz'] } as never],
    ids: [],
  },
];

for (const c of cases)
  test(`findExcess: ${c.name}`, () => {
    assert.deepEqual([...new Set(findExcess(c.rules).map((e) => e.id))].sort(), [...c.ids].sort());
  });

// Against what the generated role grants: the same generators as the render.
const generated = neededRules(
  serviceIdentity({
    name: 'berth',
    namespace: 'berth-system',
    watchdog: {
      detectors: allDetectors,
      actions: ['rollout-restart', 'delete-pod'],
      include: ['bots'],
    },
    autoscaler: new Map([
      [
        'work',
        [
          {
            apiGroups: ['apps'],
            resources: ['deployments/scale'],
            resourceNames: ['workers'],
            verbs: ['get', 'patch'],
          },
        ],
      ],
    ]),
  }),
  { name: 'berth', namespace: 'berth-system' },
);
const neededCases: { name: string; ns: string; rules: ResourceRule[]; ids: string[] }[] = [
  {
    name: 'the generated role itself (bots)',
    ns: 'bots',
    rules: neededIn(generated, 'bots'),
    ids: [],
  },
  {
    name: 'the generated role itself (berth-system)',
    ns: 'berth-system',
    rules: neededIn(generated, 'berth-system'),
    ids: [],
  },
  {
    name: 'delete deployments',
    ns: 'bots',
    rules: [{ verbs: ['delete'], apiGroups: ['apps'], resources: ['deployments'] }],
    ids: ['not-needed'],
  },
  {
    name: 'create jobs',
    ns: 'bots',
    rules: [{ verbs: ['create'], apiGroups: ['batch'], resources: ['jobs'] }],
    ids: ['not-needed'],
  },
  {
    name: 'create pods/exec, named',
    ns: 'bots',
    rules: [{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }],
    ids: ['pod-exec'],
  },
  {
    name: 'the actions of bots are not granted elsewhere',
    ns: 'elsewhere',
    rules: [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }],
    ids: ['not-needed'],
  },
  {
    name: 'scale a pool that is not one',
    ns: 'work',
    rules: [
      {
        verbs: ['patch'],
        apiGroups: ['apps'],
        resources: ['deployments/scale'],
        resourceNames: ['other'],
      },
    ],
    ids: ['not-needed'],
  },
  {
    name: 'scale the pool',
    ns: 'work',
    rules: [
      {
        verbs: ['patch'],
        apiGroups: ['apps'],
        resources: ['deployments/scale'],
        resourceNames: ['workers'],
      },
    ],
    ids: [],
  },
  {
    name: 'what every identity may do',
    ns: 'elsewhere',
    rules: [
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectrulesreviews'],
      },
    ],
    ids: [],
  },
];
for (const c of neededCases)
  test(`findExcess against the generated role: ${c.name}`, () => {
    const got = findExcess(c.rules, neededIn(generated, c.ns));
    assert.deepEqual([...new Set(got.map((e) => e.id))].sort(), [...c.ids].sort());
  });

test('on the cluster: cluster-admin is refused, a read-mostly ServiceAccount passes', async (t) => {
  const admin = await connectKube({ kubeconfig: testKubeconfig() });
  t.after(() => admin.close());
  const audit = await auditOwnPower(admin, ['default']);
  const ids = new Set(audit.excess.map((e) => e.id));
  for (const id of ['wildcard-verb', 'secrets-write', 'rbac-write', 'cluster-scoped-write'])
    assert.ok(ids.has(id), id);

  const ns = `service-audit-${process.pid}`;
  const kc = testKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  t.after(async () => {
    await core.deleteNamespace({ name: ns }).catch(() => undefined);
  });
  await rbac.createNamespacedRole({
    namespace: ns,
    body: {
      metadata: { name: 'berth-service' },
      rules: [
        { apiGroups: [''], resources: ['pods', 'events'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['apps'],
          resources: ['deployments'],
          verbs: ['get', 'list', 'watch', 'patch'],
        },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'create', 'patch'],
        },
      ],
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: ns,
    body: {
      metadata: { name: 'berth-service' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'berth-service' },
      subjects: [{ kind: 'ServiceAccount', name: 'berth', namespace: ns }],
    },
  });
  const sa = await connectKube({
    kubeconfig: await kubeconfigFile(await serviceAccountKubeConfig(ns, 'berth')),
  });
  t.after(() => sa.close());
  const own = await auditOwnPower(sa, [ns]);
  assert.deepEqual(own.excess, []);

  // A RoleBinding in a namespace berth never named: seen only when every namespace is reviewed.
  const other = `${ns}-other`;
  await core.createNamespace({ body: { metadata: { name: other } } });
  t.after(async () => {
    await core.deleteNamespace({ name: other }).catch(() => undefined);
  });
  await rbac.createNamespacedRole({
    namespace: other,
    body: {
      metadata: { name: 'extra' },
      rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: other,
    body: {
      metadata: { name: 'extra' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extra' },
      subjects: [{ kind: 'ServiceAccount', name: 'berth', namespace: ns }],
    },
  });
  assert.deepEqual((await auditOwnPower(sa, [ns])).excess, [], 'not seen from its own namespace');
  // This identity may not list namespaces: the audit says so instead of pretending.
  const blind = await auditOwnPower(sa, [ns], { allNamespaces: true });
  assert.match(blind.notes.join('\n'), /cannot list namespaces/);
  // The admin lists them; the other namespace's review, asked with the SA, flags the exec.
  const seen = await auditOwnPower(sa, [ns, other]);
  assert.deepEqual(
    seen.excess.map((e) => e.id),
    ['pod-exec'],
  );
  assert.match(seen.excess[0]?.message ?? '', new RegExp(other));
  const listed = await auditOwnPower(admin, [], { allNamespaces: true });
  assert.ok(listed.reviewed.includes(other), 'every namespace reviewed when listing is allowed');
});
