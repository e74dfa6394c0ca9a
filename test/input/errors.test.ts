// Issue 14 §1 and §2: broken files give one parse-error each, templates are never parsed as YAML,
// and a chart without helm (or a kustomization without kubectl) is one clear error each, exit 2.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../src/audit/audit.ts';
import { loadApplyInput } from '../../src/deploy/input.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { helmVersion, loadInputs } from '../../src/input/index.ts';
import { bareEnv, chart, fixtures, helm, overlay, root } from './support.ts';

const request = (paths: string[], extra: Partial<Parameters<typeof audit>[0]> = {}) => ({
  paths,
  cwd: root,
  readStdin: () => Promise.resolve(''),
  env: process.env,
  today: '2026-01-01',
  version: 'test',
  ...extra,
});

test('a folder of broken YAML files: exactly one parse-error per broken file', async () => {
  const dir = join(fixtures, 'broken');
  const broken = (await readdir(dir)).filter((f) => f !== 'valid.yaml').sort();
  const outcome = await audit(request(['test/input/fixtures/broken']));
  const parseErrors = outcome.findings.filter((f) => f.check === 'parse-error');
  assert.deepEqual(parseErrors.map((f) => f.file.split('/').pop()).sort(), broken);
  assert.equal(outcome.summary.unparseable, broken.length);
  assert.equal(outcome.exit, 2);
  const many = parseErrors.find((f) => f.file.endsWith('many-errors.yaml'));
  assert.match(
    many?.message ?? '',
    /^YAML syntax error at column \d+: .+ \(and 2 more in this file\)$/,
  );
  // The documents that parse are still audited (valid.yaml, the first document of second-document.yaml).
  assert.equal(outcome.summary.objects, 2);
  const text = (await audit(request(['test/input/fixtures/broken'], { format: 'text' }))).output;
  assert.match(text, /4 files could not be parsed/);
});

test('apply refuses broken files with one diagnostic per file, with line and column', async () => {
  await assert.rejects(
    loadApplyInput(join(fixtures, 'broken'), () => Promise.resolve(''), { cwd: root }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidInputError);
      assert.equal(error.diagnostics.length, 4);
      assert.ok(error.diagnostics.every((d) => d.position && d.position.column >= 1));
      return true;
    },
  );
});

test('templates are never parsed as YAML: reported once, with the command to run', async () => {
  const templates = (await readdir(join(chart, 'templates'))).filter((f) => f.endsWith('.yaml'));
  const outcome = await audit(request(['test/input/fixtures/mixed/chart/templates']));
  const found = outcome.findings.filter((f) => f.check === 'parse-error');
  assert.equal(found.length, templates.length);
  assert.ok(found.every((f) => f.message.includes('berth audit test/input/fixtures/mixed/chart')));
  const piped = await audit(
    request(['-'], {
      readStdin: () => readFile(join(chart, 'templates', 'deployment.yaml'), 'utf8'),
    }),
  );
  const stdinErrors = piped.findings.filter((f) => f.check === 'parse-error');
  assert.equal(stdinErrors.length, 1);
  assert.match(
    stdinErrors[0]?.message ?? '',
    /Helm template: .*helm template <chart> \| berth audit -/,
  );
  assert.equal(stdinErrors[0]?.line, 4);
});

test('without helm: one error per chart naming how to install it, exit 2', async () => {
  const home = await mkdtemp(join(tmpdir(), 'berth-nohelm-'));
  const work = join(home, 'work');
  try {
    await cp(chart, join(work, 'one'), { recursive: true });
    await cp(chart, join(work, 'two'), { recursive: true });
    await cp(join(fixtures, 'mixed', 'plain'), join(work, 'plain'), { recursive: true });
    const { io, captured } = memoryIO({ cwd: work, env: bareEnv(home) });
    const code = await runCli(['audit', '.'], io);
    assert.equal(code, 2);
    const lines = captured.err.split('\n').filter((l) => l.includes('Helm chart'));
    assert.equal(lines.length, 2, captured.err);
    for (const [i, name] of ['one', 'two'].entries()) {
      assert.match(lines[i] ?? '', new RegExp(`^${name} is a Helm chart, and helm was not found`));
      assert.ok(lines[i]?.includes(`go install helm.sh/helm/v3/cmd/helm@${helmVersion}`));
    }
    assert.ok(!captured.out.includes('parse-error'));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test('without kubectl or kustomize: one error per kustomization', async () => {
  const home = await mkdtemp(join(tmpdir(), 'berth-nokubectl-'));
  try {
    const loaded = await loadInputs([overlay], {
      cwd: root,
      readStdin: () => Promise.resolve(''),
      env: bareEnv(home),
    });
    assert.equal(loaded.errors.length, 1);
    assert.match(
      loaded.errors[0]?.message ?? '',
      /is a kustomization, and neither kubectl nor kustomize/,
    );
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test("a chart error is one error with Helm's message", async () => {
  const loaded = await loadInputs([chart], {
    cwd: root,
    readStdin: () => Promise.resolve(''),
    env: process.env,
    chart: { values: ['test/input/fixtures/no-such-values.yaml'] },
  });
  assert.equal(loaded.errors.length, 1);
  assert.match(
    loaded.errors[0]?.message ?? '',
    /^helm template test\/input\/fixtures\/mixed\/chart failed: /,
  );
  assert.equal(loaded.objects.length, 0);
});

test('scripts/setup.sh builds the Helm release berth names in its install hint', async () => {
  const setup = await readFile(join(root, 'scripts', 'setup.sh'), 'utf8');
  assert.match(setup, new RegExp(`^helm_version=${helmVersion.replace(/\./g, '\\.')}$`, 'm'));
});

test('a packaged chart (.tgz) named directly is rendered too', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-tgz-'));
  try {
    execFileSync(helm(), ['package', chart, '-d', dir], { encoding: 'utf8' });
    const loaded = await loadInputs([join(dir, 'web-0.1.0.tgz')], {
      cwd: root,
      readStdin: () => Promise.resolve(''),
      env: process.env,
    });
    assert.deepEqual(loaded.errors, []);
    assert.deepEqual(
      loaded.objects.map((o) => o.object.metadata.name),
      ['web-web', 'web-web', 'web-web'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
