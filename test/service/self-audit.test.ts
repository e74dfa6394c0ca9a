// The self-audit: a table over rule sets (pure), and on the test cluster: the admin identity
// (cluster-admin) is refused with each excess named; a ServiceAccount bound to a read-mostly
// Role passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectKube } from '../../src/kube/connect.ts';
import { auditOwnPower } from '../../src/service/adapters/self-audit.ts';
import { findExcess } from '../../src/service/self-audit.ts';
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
    ],
  },
  {
    name: 'read everything',
    rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] }],
    ids: [],
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
});
