// The sandbox's minimal CRDs: the objects berth renders for ESO, KEDA, Argo CD and cert-manager
// apply, and a wrong shape is rejected by the schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { applyObjects, testKubeConfig, testNamespace } from '../support/cluster.ts';

function objects(namespace: string): KubernetesObject[] {
  return [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'vault', namespace },
      spec: {
        provider: {
          vault: {
            server: 'https://vault.example.com',
            path: 'kv',
            version: 'v2',
            auth: { kubernetes: { mountPath: 'kubernetes', role: 'agents' } },
          },
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'agent-env', namespace },
      spec: {
        refreshInterval: '1m',
        secretStoreRef: { name: 'vault', kind: 'SecretStore' },
        target: { name: 'agent-env', creationPolicy: 'Owner' },
        dataFrom: [{ extract: { key: 'agents/clovis' } }],
      },
    } as KubernetesObject,
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: 'nats', namespace },
      spec: { secretTargetRef: [{ parameter: 'password', name: 'nats', key: 'password' }] },
    } as KubernetesObject,
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'workers', namespace },
      spec: {
        scaleTargetRef: { name: 'workers' },
        minReplicaCount: 1,
        maxReplicaCount: 10,
        triggers: [
          {
            type: 'nats-jetstream',
            metadata: { stream: 'jobs', consumer: 'workers', lagThreshold: '10' },
            authenticationRef: { name: 'nats' },
          },
        ],
      },
    } as KubernetesObject,
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'agents', namespace },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://git.example.com/agents.git',
          path: 'k8s',
          targetRevision: 'main',
        },
        destination: { server: 'https://kubernetes.default.svc', namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    } as KubernetesObject,
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'web', namespace },
      spec: {
        secretName: 'web-tls',
        dnsNames: ['app.example.com'],
        issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
      },
    } as KubernetesObject,
  ];
}

test('ExternalSecret, SecretStore, ScaledObject, TriggerAuthentication, Application and Certificate apply', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'crds' });
  const applied = await applyObjects(objects(namespace));
  assert.deepEqual(
    applied.map((o) => `${o.kind}/${o.metadata?.name}`),
    objects(namespace).map((o) => `${o.kind}/${o.metadata?.name}`),
  );
  for (const object of applied) assert.ok(object.metadata?.uid, `${object.kind} was stored`);
});

test('the cluster-scoped ClusterSecretStore applies', async () => {
  const name = `bt-store-${Date.now().toString(36)}`;
  const [store] = await applyObjects([
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name },
      spec: { provider: { vault: { server: 'https://vault.example.com', auth: {} } } },
    } as KubernetesObject,
  ]);
  assert.equal(store?.metadata?.name, name);
  await KubernetesObjectApi.makeApiClient(testKubeConfig()).delete(store);
});

test('a ScaledObject without triggers is rejected by the schema', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'crds-bad' });
  await assert.rejects(
    applyObjects([
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'broken', namespace },
        spec: { scaleTargetRef: { name: 'workers' } },
      } as KubernetesObject,
    ]),
    (error: unknown) => {
      assert.equal((error as { code?: number }).code, 422);
      assert.match(String((error as { body?: unknown }).body), /spec.triggers: Required value/);
      return true;
    },
  );
});
