// Acceptance: seed 001's "before" states, written as fixtures, produce the findings the seed lists,
// and --fix repairs the ones it can with the seed's own remedies (nginx emptyDirs, seccomp, probes).
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../src/audit/audit.ts';

const before = join(import.meta.dirname, 'fixtures', 'seed-001', 'before');
const run = (cwd: string, extra: { fix?: boolean } = {}) =>
  audit({
    paths: ['.'],
    cwd,
    readStdin: () => Promise.resolve(''),
    today: '2026-01-01',
    version: 'test',
    ...extra,
  });

// What the guide lists as missing or wrong, as (check, object or file) pairs.
const expected: [string, string][] = [
  ['seccomp-profile', 'Deployment archon/archon-server'],
  ['seccomp-profile', 'Deployment archon/archon-frontend'],
  ['pod-security', 'Deployment archon/archon-mcp'],
  ['read-only-root-filesystem', 'Deployment archon/archon-server'],
  ['read-only-root-filesystem', 'Deployment archon/archon-frontend'],
  ['ephemeral-storage', 'Deployment archon/archon-server'],
  ['startup-probe', 'Deployment archon/archon-server'],
  ['default-deny', 'Deployment archon/archon-server'],
  ['dns-egress', 'Deployment archon/archon-server'],
  ['dns-egress', 'Deployment archon/archon-frontend'],
  ['network-policy-coverage', 'Deployment archon/archon-mcp'],
  ['pdb-missing', 'Deployment archon/archon-frontend'],
  ['prometheus-annotations', 'Deployment archon/archon-mcp'],
  ['pod-security-label-placement', 'Deployment archon/archon-server'],
  ['namespace-pod-security', 'Namespace archon'],
  ['image-tag', 'Deployment archon/archon-server'],
  ['secret-in-manifest', 'Secret archon/archon-secrets'],
  ['dockerfile-user', 'Dockerfile.server'],
  ['dockerfile-exec-form', 'Dockerfile.server'],
  ['dockerfile-healthcheck', 'Dockerfile.server'],
  ['dockerfile-cache-cleanup', 'Dockerfile.server'],
  ['dockerfile-user', 'Dockerfile.k8s.server'],
];

test('seed 001 before: the findings the guide lists', async () => {
  const outcome = await run(before);
  const seen = outcome.findings.map(
    (f) =>
      [
        f.check,
        f.object
          ? `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`
          : f.file,
      ] as const,
  );
  for (const [check, what] of expected) {
    assert.ok(
      seen.some(([c, w]) => c === check && w.endsWith(what)),
      `${check} on ${what}; got:\n${seen.map((s) => s.join(' ')).join('\n')}`,
    );
  }
  // The K8s server image is right about exec form and Playwright; its pip/uv caches stay in the
  // builder stage, which the final image does not copy wholesale.
  const k8sServer = outcome.findings
    .filter((f) => f.file.endsWith('Dockerfile.k8s.server'))
    .map((f) => f.check);
  assert.ok(!k8sServer.includes('dockerfile-exec-form'), 'exec python under sh -c passes');
  assert.ok(!k8sServer.includes('dockerfile-playwright-path'), 'browsers path set and chowned');
  assert.ok(!k8sServer.includes('dockerfile-cache-cleanup'), 'builder-stage caches do not ship');
  assert.equal(outcome.exit, 1);
});

test("seed 001 before: --fix applies the guide's remedies, keeps comments, and a second run is a no-op", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-seed001-'));
  try {
    await cp(before, dir, { recursive: true });
    const first = await run(dir, { fix: true });
    assert.ok((first.summary.fixed ?? 0) > 10);
    const text = await readFile(join(dir, 'k8s-manifests-complete.yaml'), 'utf8');
    for (const path of ['/var/cache/nginx', '/var/run', '/var/log/nginx', '/tmp'])
      assert.ok(text.includes(`mountPath: ${path}`), path);
    assert.ok(text.includes('type: RuntimeDefault'));
    assert.ok(text.includes('startupProbe:'));
    assert.ok(text.includes('# ← CHANGE THIS!'), 'comments kept');
    assert.ok(text.includes('runAsUser: 101 # nginx user'), 'inline comments kept');
    assert.ok(text.includes('requests: { memory: "256Mi", cpu: "250m" }'), 'flow maps kept');
    assert.ok(text.includes('name: allow-dns'), 'DNS egress added');
    assert.ok(text.includes('kind: PodDisruptionBudget'), 'PDB added');
    const fixable = first.findings.filter((f) => f.fixable);
    assert.deepEqual(
      fixable.map((f) => `${f.check} ${f.message}`),
      [],
      'nothing fixable remains',
    );
    const second = await run(dir, { fix: true });
    assert.equal(second.summary.fixed, 0);
    assert.equal(await readFile(join(dir, 'k8s-manifests-complete.yaml'), 'utf8'), text);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
