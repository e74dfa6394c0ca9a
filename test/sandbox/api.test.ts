// The sandbox's API server: it answers, RBAC is enforced, Pod Security admission rejects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorizationV1Api, CoreV1Api, VersionApi } from '@kubernetes/client-node';
import { sandboxVersions } from '../../src/sandbox/versions.ts';
import { serviceAccountKubeConfig, testKubeConfig, testNamespace } from '../support/cluster.ts';

test('the API server answers with its version', async () => {
  const version = await testKubeConfig().makeApiClient(VersionApi).getCode();
  assert.match(version.gitVersion, /^v1\.\d+\.\d+/);
  // On the sandbox (not on any BERTH_TEST_KUBECONFIG cluster) the version is the pinned one.
  if (process.env.BERTH_TEST_KUBECONFIG?.includes('/berth/sandbox/'))
    assert.equal(version.gitVersion, sandboxVersions().kubernetes);
});

test('RBAC: a service account without bindings may not list secrets cluster-wide', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'rbac' });
  const kc = await serviceAccountKubeConfig(namespace, 'nobody');
  const core = kc.makeApiClient(CoreV1Api);
  await assert.rejects(core.listSecretForAllNamespaces(), (error: unknown) => {
    assert.equal((error as { code?: number }).code, 403);
    assert.match(String((error as { body?: unknown }).body), /forbidden/i);
    assert.match(
      String((error as { body?: unknown }).body),
      new RegExp(`system:serviceaccount:${namespace}:nobody`),
    );
    return true;
  });
  // The identity is authenticated (not anonymous) and RBAC says no.
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { verb: 'list', resource: 'secrets' } } },
  });
  assert.equal(review.status?.allowed, false);
});

test('Pod Security: a restricted namespace rejects a privileged pod with the violations', async (t) => {
  const namespace = await testNamespace(t, {
    prefix: 'psa',
    labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
  });
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  const pod = {
    metadata: { name: 'privileged', namespace },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'registry.example.com/app:1.0.0',
          securityContext: { privileged: true },
        },
      ],
    },
  };
  await assert.rejects(core.createNamespacedPod({ namespace, body: pod }), (error: unknown) => {
    assert.equal((error as { code?: number }).code, 403);
    const body = JSON.parse(String((error as { body?: unknown }).body)) as { message: string };
    assert.match(body.message, /violates PodSecurity "restricted:latest"/);
    assert.match(
      body.message,
      /privileged \(container "main" must not set securityContext.privileged=true\)/,
    );
    return true;
  });
});
