// `berth apply` on a Helm chart and on a kustomization, against the test cluster: the objects the
// shared loader reads are the objects that reach the API server.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { testKubeconfig, testNamespace } from '../support/cluster.ts';
import { chart, fixtures, mixed } from './support.ts';

/** A copy of the test kubeconfig whose current context defaults to `namespace`. */
async function kubeconfigFor(dir: string, namespace: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(testKubeconfig());
  kc.contexts = kc.contexts.map((c) =>
    c.name === kc.getCurrentContext() ? { ...c, namespace } : c,
  );
  const file = join(dir, 'kubeconfig');
  await writeFile(file, kc.exportConfig(), { mode: 0o600 });
  return file;
}

test('berth apply a chart (hardened values) and wait until it is ready', async (t) => {
  const ns = await testNamespace(t, {
    prefix: 'input-chart',
    labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
  });
  const dir = await mkdtemp(join(tmpdir(), 'berth-input-apply-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = await kubeconfigFor(dir, ns);
  const { io, captured } = memoryIO({ env: { ...process.env } as Record<string, string> });
  const code = await runCli(
    [
      'apply',
      chart,
      '--release',
      'shop',
      '--values',
      join(fixtures, 'hardened-values.yaml'),
      '--wait',
      '--timeout',
      '2m',
      '-o',
      'json',
      '--kubeconfig',
      kubeconfig,
    ],
    io,
  );
  assert.equal(code, 0, `${captured.out}\n${captured.err}`);
  const result = JSON.parse(captured.out) as { outcome: string };
  assert.equal(result.outcome, 'ready');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const deployment = await kc
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ namespace: ns, name: 'shop-web' });
  assert.equal(deployment.spec?.replicas, 2);
});

test('berth apply a kustomization: the overlay as kubectl kustomize builds it', async (t) => {
  const ns = await testNamespace(t, { prefix: 'input-kustomize' });
  const dir = await mkdtemp(join(tmpdir(), 'berth-input-kustomize-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(join(mixed, 'kustomize'), join(dir, 'kustomize'), { recursive: true });
  const overlay = join(dir, 'kustomize', 'overlays', 'prod', 'kustomization.yaml');
  await writeFile(
    overlay,
    (await readFile(overlay, 'utf8')).replace('namespace: prod', `namespace: ${ns}`),
  );
  const { io, captured } = memoryIO({ env: { ...process.env } as Record<string, string> });
  const code = await runCli(
    ['apply', join(dir, 'kustomize'), '-o', 'json', '--kubeconfig', testKubeconfig()],
    io,
  );
  assert.equal(code, 0, `${captured.out}\n${captured.err}`);
  const kc = new KubeConfig();
  kc.loadFromFile(testKubeconfig());
  const deployment = await kc
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ namespace: ns, name: 'prod-web' });
  assert.equal(deployment.spec?.replicas, 3, 'the overlay patch applied');
  assert.equal(deployment.metadata?.annotations?.['config.kubernetes.io/origin'], undefined);
  const configMaps = await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: ns });
  assert.ok(configMaps.items.some((c) => c.metadata?.name?.startsWith('prod-cfg-')));
});
