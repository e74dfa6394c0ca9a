/**
 * The cluster integration tests run against. `npm test` (scripts/test.mjs) starts a sandbox of
 * its own before the tests and stops it after, and passes its kubeconfig in
 * BERTH_TEST_KUBECONFIG; set BERTH_TEST_KUBECONFIG yourself to use any real cluster instead.
 * There is no silent skip: without a cluster, `testKubeconfig()` throws and the test fails.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'node:test';
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';

/** The kubeconfig path of the test cluster; throws with what to do when there is none. */
export function testKubeconfig(): string {
  const path = process.env.BERTH_TEST_KUBECONFIG;
  if (path) return path;
  const sandboxError = process.env.BERTH_TEST_SANDBOX_ERROR;
  if (sandboxError) throw new Error(`no test cluster: the sandbox did not start:\n${sandboxError}`);
  throw new Error(
    'no test cluster: run the tests with `npm test` (it starts the sandbox cluster), or set ' +
      'BERTH_TEST_KUBECONFIG to the kubeconfig of a cluster the tests may use',
  );
}

/** A KubeConfig for the test cluster. */
export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(testKubeconfig());
  return kc;
}

/**
 * A KubeConfig that authenticates as service account `namespace/name` with a short-lived token
 * from the TokenRequest API (the account is created when missing), for RBAC tests.
 */
export async function serviceAccountKubeConfig(
  namespace: string,
  name: string,
): Promise<KubeConfig> {
  const admin = testKubeConfig();
  const core = admin.makeApiClient(CoreV1Api);
  await core
    .createNamespacedServiceAccount({ namespace, body: { metadata: { name } } })
    .catch((error: unknown) => {
      if ((error as { code?: number }).code !== 409) throw error;
    });
  const request = await core.createNamespacedServiceAccountToken({
    namespace,
    name,
    body: { spec: { audiences: [], expirationSeconds: 600 } },
  });
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the test kubeconfig has no current cluster');
  const kc = new KubeConfig();
  const user = `system:serviceaccount:${namespace}:${name}`;
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, token: request.status?.token }],
    contexts: [{ name: 'sa', cluster: cluster.name, user }],
    currentContext: 'sa',
  });
  return kc;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30)
      .replace(/-+$/, '') || 'test'
  );
}

export interface TestNamespaceOptions {
  /** Extra namespace labels, for example Pod Security levels. @default {} */
  labels?: Record<string, string>;
  /** Name prefix. @default the test's name */
  prefix?: string;
}

/**
 * Creates a namespace unique to this test (`bt-<test name>-<random>`) and deletes it when the
 * test ends. Returns its name.
 */
export async function testNamespace(
  t: TestContext,
  options: TestNamespaceOptions = {},
): Promise<string> {
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  const name = `bt-${slug(options.prefix ?? t.name)}-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({
    body: {
      metadata: { name, labels: { 'berth.dev/test': 'true', ...options.labels } },
    },
  });
  t.after(async () => {
    await core.deleteNamespace({ name }).catch((error: unknown) => {
      if ((error as { code?: number }).code !== 404) throw error;
    });
  });
  return name;
}

/** Server-side applies `objects` (field manager `berth-test`), in order. */
export async function applyObjects(
  objects: readonly KubernetesObject[],
  kc: KubeConfig = testKubeConfig(),
): Promise<KubernetesObject[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const applied: KubernetesObject[] = [];
  for (const object of objects)
    applied.push(
      await api.patch(
        object,
        undefined,
        undefined,
        'berth-test',
        true,
        PatchStrategy.ServerSideApply,
      ),
    );
  return applied;
}

export interface WaitOptions {
  /** @default 60_000 */
  timeoutMs?: number;
  /** @default 250 */
  intervalMs?: number;
}

/**
 * Polls `check` until it returns a value other than undefined, and returns it. `describe` says
 * what was awaited and the last state seen, for the failure message at the deadline.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(
        `timed out after ${options.timeoutMs ?? 60_000} ms waiting for ${what}${why}`,
      );
    }
    await sleep(options.intervalMs ?? 250);
  }
}
