// Issue 14 §4: a folder holding a Helm chart, a kustomize overlay and plain YAML gives findings for
// all three, no parse-error, and the objects `helm template` and `kubectl kustomize` produce.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../src/audit/audit.ts';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { loadApplyInput } from '../../src/deploy/input.ts';
import { loadInputs } from '../../src/input/index.ts';
import { bareEnv, chart, helmTemplate, kustomizeBuild, mixed, overlay, root } from './support.ts';

const request = (paths: string[], extra: Partial<Parameters<typeof audit>[0]> = {}) => ({
  paths,
  cwd: root,
  readStdin: () => Promise.resolve(''),
  env: process.env,
  today: '2026-01-01',
  version: 'test',
  ...extra,
});
const load = (paths: string[], chartOptions = {}) =>
  loadInputs(paths, {
    cwd: root,
    readStdin: () => Promise.resolve(''),
    env: process.env,
    chart: chartOptions,
  });

test('chart + kustomize overlay + plain YAML: findings for all three, no parse-error, the same objects as helm and kubectl', async () => {
  const outcome = await audit(request(['test/input/fixtures/mixed']));
  assert.equal(outcome.findings.filter((f) => f.check === 'parse-error').length, 0);
  const files = new Set(outcome.findings.map((f) => f.file));
  for (const prefix of [
    'chart/templates/',
    'kustomize/base/',
    'kustomize/overlays/prod/',
    'plain/',
  ])
    assert.ok(
      [...files].some((f) => f.startsWith(`test/input/fixtures/mixed/${prefix}`)),
      `findings in ${prefix}: ${[...files].join(', ')}`,
    );
  const fromHelm = helmTemplate();
  const fromKustomize = kustomizeBuild(overlay);
  assert.equal(fromHelm.length, 3);
  assert.equal(fromKustomize.length, 4);
  assert.equal(outcome.summary.objects, fromHelm.length + fromKustomize.length + 2);
  assert.equal(outcome.summary.unparseable, 0);
  assert.equal(outcome.exit, 1);

  const loaded = await load([mixed]);
  const producedBy = (kind: string) =>
    loaded.objects.filter((o) => o.producer?.kind === kind).map((o) => o.object);
  assert.deepEqual(producedBy('helm'), fromHelm);
  assert.deepEqual(producedBy('kustomize'), fromKustomize, 'origin annotations removed again');
});

test('apply reads the same objects as audit, through the same loader', async () => {
  const loaded = await load([mixed]);
  const applied = await loadApplyInput(mixed, () => Promise.resolve(''), {
    cwd: root,
    env: process.env,
  });
  assert.equal(applied.kind, 'manifests');
  assert.deepEqual(
    applied.objects,
    loaded.objects.map((o) => o.object),
  );
  const chartOnly = await loadApplyInput(chart, () => Promise.resolve(''), {
    cwd: root,
    env: process.env,
    chart: { release: 'shop', set: ['hardening.enabled=true'] },
  });
  const expected = helmTemplate(['--set', 'hardening.enabled=true'], 'shop');
  assert.equal(expected.length, 6);
  assert.deepEqual(chartOnly.objects, expected);
});

test('chart values switch the hardening on and off', async () => {
  const chartPath = 'test/input/fixtures/mixed/chart';
  const off = await audit(request([chartPath]));
  const on = await audit(request([chartPath], { chart: { set: ['hardening.enabled=true'] } }));
  const ids = (o: typeof off) => new Set(o.findings.map((f) => f.check));
  for (const id of [
    'seccomp-profile',
    'run-as-non-root',
    'pdb-missing',
    'read-only-root-filesystem',
  ])
    assert.ok(ids(off).has(id), `${id} with hardening off`);
  for (const id of [
    'seccomp-profile',
    'run-as-non-root',
    'pdb-missing',
    'read-only-root-filesystem',
  ])
    assert.ok(!ids(on).has(id), `no ${id} with hardening on`);
  assert.equal(on.summary.objects, 6);
  assert.ok(
    on.findings.length < off.findings.length / 3,
    `${on.findings.length} vs ${off.findings.length}`,
  );
});

test('findings point at the template (Helm # Source:) and at the base/overlay file (kustomize)', async () => {
  const outcome = await audit(request(['test/input/fixtures/mixed']));
  const at = (check: string, name: string) =>
    outcome.findings
      .filter((f) => f.check === check && f.object?.name === name)
      .map((f) => `${f.file}:${f.line}`);
  const base = 'test/input/fixtures/mixed';
  // Off by default, the fields still stand in the template, inside `{{- if .Values.hardening.enabled }}`:
  // the findings point there (seccompProfile: line 24, capabilities: line 37), where the fix goes.
  assert.deepEqual(at('seccomp-profile', 'web-web'), [
    `${base}/chart/templates/deployment.yaml:24`,
  ]);
  assert.deepEqual(at('drop-all-capabilities', 'web-web'), [
    `${base}/chart/templates/deployment.yaml:37`,
  ]);
  // The overlay renames (prod-) and patches the base Deployment: still found in the base file.
  assert.deepEqual(at('drop-all-capabilities', 'prod-web'), [
    `${base}/kustomize/base/deployment.yaml:13`,
  ]);
  assert.deepEqual(at('pdb-unhealthy-eviction', 'prod-web'), [
    `${base}/kustomize/overlays/prod/pdb.yaml:5`,
  ]);
  // Rendered objects are never edited in place.
  assert.ok(outcome.findings.filter((f) => f.file.includes('/chart/')).every((f) => !f.fixable));
});

test('a kustomize base found next to its overlay is built through the overlay only', async () => {
  const loaded = await load([mixed]);
  const kustomized = loaded.objects.filter((o) => o.producer?.kind === 'kustomize');
  assert.ok(kustomized.every((o) => o.object.metadata.namespace === 'prod'));
  assert.equal(new Set(kustomized.map((o) => o.producer?.root)).size, 1);
  // Named on its own, the base (it only lists its files) is read as those files.
  const baseAlone = await load(['test/input/fixtures/mixed/kustomize/base']);
  assert.deepEqual(
    baseAlone.objects.map((o) => `${o.object.kind}/${o.object.metadata.name} ${o.origin}`),
    ['Deployment/web file', 'Service/web file'],
  );
});

test('berth audit passes --release, --namespace, --values and --set through to helm template', async () => {
  const { io, captured } = memoryIO({
    cwd: root,
    env: { ...process.env } as Record<string, string>,
  });
  const code = await runCli(
    [
      'audit',
      'test/input/fixtures/mixed/chart',
      '--release',
      'shop',
      '-n',
      'shop',
      '--values',
      'test/input/fixtures/hardened-values.yaml',
      '--set',
      'replicaCount=3',
      '--format',
      'json',
    ],
    io,
  );
  const report = JSON.parse(captured.out) as {
    findings: { object?: { name: string } }[];
    summary: { objects: number };
  };
  assert.equal(report.summary.objects, 6, captured.err);
  assert.ok(
    report.findings.every((f) => f.object === undefined || f.object.name.startsWith('shop-')),
  );
  assert.equal(code, 0, JSON.stringify(report.findings, null, 1));
});

test('berth render -o folders (kustomizations that only list their files) are read as plain, editable files', async () => {
  const out = await mkdtemp(join(tmpdir(), 'berth-render-out-'));
  try {
    const { io } = memoryIO({ cwd: root });
    assert.equal(await runCli(['render', 'examples/archon', '-o', out], io), 0);
    const loaded = await loadInputs([out], {
      cwd: root,
      readStdin: () => Promise.resolve(''),
      env: bareEnv(out), // no kubectl needed
    });
    assert.deepEqual(loaded.errors, []);
    const rendered = kustomizeBuild(join(out, 'archon-server', 'k8s'));
    const fromServer = loaded.objects.filter((o) => o.file.includes('/archon-server/'));
    assert.equal(fromServer.length, rendered.length);
    assert.ok(loaded.objects.every((o) => o.origin === 'file'));
    assert.equal(loaded.sources.size, loaded.files);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
