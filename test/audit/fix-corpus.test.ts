// Acceptance for --fix: on a corpus of deliberately bad manifests (plus seed 001's "before"
// manifests) the result audits clean except for the documented unfixables, a second --fix
// changes nothing, and the fixed workloads are admitted by the test cluster's API server under
// Pod Security "restricted" (while the unfixed ones are rejected).
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { audit } from '../../src/audit/audit.ts';
import { checks } from '../../src/audit/checks/index.ts';
import { testKubeConfig, testNamespace } from '../support/cluster.ts';

const corpus = join(import.meta.dirname, 'fixtures', 'fix-corpus');
const seed = join(
  import.meta.dirname,
  'fixtures',
  'seed-001',
  'before',
  'k8s-manifests-complete.yaml',
);
const run = (cwd: string, fix: boolean) =>
  audit({
    paths: ['.'],
    cwd,
    readStdin: () => Promise.resolve(''),
    fix,
    today: '2026-01-01',
    version: 'test',
  });

/** What --fix leaves, by design (docs/checks.md says why for each). */
const documentedUnfixable = new Set([
  'fixed-user-id', // the image UID is unknown without a linked Dockerfile
  'image-tag', // berth cannot know which version was tested
  'ephemeral-storage', // sizes depend on the application
  'resource-limits',
  'default-deny', // would cut the traffic of pods no policy allows
  'network-policy-coverage',
  'secret-in-manifest', // the values must not pass through berth
  'pod-security-label-placement', // which level to enforce is a decision
  'prometheus-annotations', // which port serves metrics is not knowable
  'topology-spread', // topology keys depend on the cluster
  'hpa-single-replica', // replicas cost money
  'cronjob-starting-deadline', // how late a run is useful depends on the job
  'statefulset-service-name', // the Service's shape is the application's
  'ingress-tls', // the certificate is the owner's choice
]);

async function withCorpus<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-fix-corpus-'));
  try {
    await cp(corpus, dir, { recursive: true });
    await cp(seed, join(dir, 'seed-001.yaml'));
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readAll(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort())
    out.set(name, await readFile(join(dir, name), 'utf8'));
  return out;
}

test('--fix on the bad corpus: clean except documented unfixables, and idempotent', async () => {
  await withCorpus(async (dir) => {
    const before = await run(dir, false);
    assert.ok(before.findings.filter((f) => f.fixable).length >= 30, 'the corpus is bad');
    const fixed = await run(dir, true);
    const remaining = fixed.findings.map((f) => `${f.check}: ${f.message}`);
    assert.deepEqual(
      fixed.findings.filter((f) => f.fixable).map((f) => f.check),
      [],
      remaining.join('\n'),
    );
    for (const f of fixed.findings)
      assert.ok(
        documentedUnfixable.has(f.check),
        `${f.check} is not a documented unfixable: ${f.message}`,
      );
    for (const id of documentedUnfixable) {
      const check = checks.find((c) => c.id === id);
      assert.ok(
        check && (!check.fixable || /not|only when|unless/i.test(check.docs)),
        `${id} documents why it is not fixed`,
      );
    }
    const files = await readAll(dir);
    const web = files.get('web.yaml') ?? '';
    assert.match(web, /add:\n\s+- NET_BIND_SERVICE/, 'port 80 keeps NET_BIND_SERVICE');
    assert.match(web, /mountPath: \/var\/cache\/nginx/, 'nginx writable paths mounted');
    assert.match(
      web,
      /readinessProbe:\n\s+tcpSocket:\n\s+port: http/,
      'probe on the Service targetPort',
    );
    assert.ok(
      web.includes('replicas: 3 # three zones') && web.includes('image: nginx:1.27.2   # pinned'),
      'comments kept',
    );
    assert.ok(!/exec:\s*\n\s*command:/.test(web), 'no placeholder exec probe');
    const second = await run(dir, true);
    assert.equal(second.summary.fixed, 0);
    assert.deepEqual(await readAll(dir), files, 'a second --fix changes nothing');
  });
});

/** Pods as the controllers would create them, from every workload's pod template. */
function podsOf(objects: KubernetesObject[], namespace: string): KubernetesObject[] {
  const pods: KubernetesObject[] = [];
  for (const o of objects) {
    const spec = (o as { spec?: Record<string, unknown> }).spec;
    const template = (
      o.kind === 'CronJob'
        ? (spec?.jobTemplate as { spec?: { template?: unknown } })?.spec?.template
        : spec?.template
    ) as
      { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> } | undefined;
    if (!template) continue;
    pods.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${o.kind?.toLowerCase()}-${o.metadata?.name}`,
        namespace,
        labels: template.metadata?.labels ?? {},
      },
      spec: template.spec,
    } as KubernetesObject);
  }
  return pods;
}

async function objectsIn(dir: string, namespace: string): Promise<KubernetesObject[]> {
  const out: KubernetesObject[] = [];
  for (const text of (await readAll(dir)).values()) {
    const docs = parseAllDocuments(text);
    for (const doc of Array.isArray(docs) ? docs : []) {
      const o = doc.toJS() as KubernetesObject | null;
      if (!o?.kind || o.kind === 'Namespace' || o.kind === 'Secret' || o.kind === 'ConfigMap')
        continue;
      out.push({ ...o, metadata: { ...o.metadata, namespace } });
    }
  }
  return out;
}

async function dryRunCreate(object: KubernetesObject): Promise<string | undefined> {
  const api = KubernetesObjectApi.makeApiClient(testKubeConfig());
  try {
    await api.create(object, undefined, 'All');
    return undefined;
  } catch (error) {
    const body = (error as { body?: unknown }).body;
    return typeof body === 'string' ? body : JSON.stringify(body ?? String(error));
  }
}

test(
  'fixed manifests are admitted under Pod Security restricted; unfixed pods are rejected',
  { timeout: 180_000 },
  async (t: TestContext) => {
    const namespace = await testNamespace(t, {
      prefix: 'audit-fix',
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    });
    await withCorpus(async (dir) => {
      const rejected: string[] = [];
      for (const pod of podsOf(await objectsIn(dir, namespace), namespace)) {
        const error = await dryRunCreate(pod);
        if (error?.includes('violates PodSecurity')) rejected.push(pod.metadata?.name ?? '');
      }
      assert.ok(
        rejected.length >= 4,
        `the unfixed pods are rejected (rejected: ${rejected.join(', ')})`,
      );
      await run(dir, true);
      const objects = await objectsIn(dir, namespace);
      const failures: string[] = [];
      for (const object of [...objects, ...podsOf(objects, namespace)]) {
        const error = await dryRunCreate(object);
        if (error) failures.push(`${object.kind} ${object.metadata?.name}: ${error}`);
      }
      assert.deepEqual(failures, []);
    });
  },
);
