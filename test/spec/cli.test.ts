// The spec commands end to end (in process): exit codes, output, no stack traces.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { exampleDir, examples } from '../render/examples.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

test('berth validate on an example exits 0', async () => {
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['validate', exampleDir('vapora')], io), 0);
  assert.match(captured.out, /valid \(platform vapora, 19 components, 1 secrets\)/);
});

test('berth validate reports every error with positions, exit 2, no stack trace', async () => {
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['validate', fixture('dangling.yaml')], io), 2);
  const lines = captured.err.trimEnd().split('\n');
  assert.equal(lines.length, 6);
  assert.ok(
    lines.slice(0, 5).every((l) => /dangling\.yaml:\d+:\d+: spec\./.test(l)),
    captured.err,
  );
  assert.equal(lines[5], '5 errors found.');
  assert.doesNotMatch(captured.err, /\n\s+at /);
});

test('berth validate on a missing path is an error naming it (exit 2)', async () => {
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['validate', fixture('nope')], io), 2);
  assert.match(captured.err, /nope/);
  assert.doesNotMatch(captured.err, /internal error/);
});

for (const name of examples) {
  test(`berth render ${name} prints a YAML stream every object of which carries the berth labels`, async () => {
    const { io, captured } = memoryIO();
    assert.equal(await runCli(['render', exampleDir(name)], io), 0);
    const docs = parseAllDocuments(captured.out).map(
      (d) => d.toJS() as { metadata: { labels: Record<string, string> } },
    );
    assert.ok(docs.length > 10);
    for (const d of docs) {
      for (const label of [
        'app.kubernetes.io/name',
        'app.kubernetes.io/part-of',
        'app.kubernetes.io/managed-by',
        'berth.dev/component',
      ])
        assert.ok(d.metadata.labels[label], `${JSON.stringify(d.metadata)} lacks ${label}`);
      assert.equal(d.metadata.labels['app.kubernetes.io/managed-by'], 'berth');
    }
  });
}

test('berth render -o DIR writes <component>/k8s/*.yaml with a kustomization.yaml, replacing the folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-render-'));
  try {
    const out = join(dir, 'out');
    for (let i = 0; i < 2; i++) {
      const { io } = memoryIO();
      assert.equal(await runCli(['render', exampleDir('openclaw-agents'), '-o', out], io), 0);
    }
    assert.deepEqual((await readdir(out)).sort(), ['clementina', 'clovis', 'openclaw', 'roberval']);
    assert.deepEqual((await readdir(dir)).sort(), ['out'], 'no temporary folder is left behind');
    const files = (await readdir(join(out, 'clovis', 'k8s'))).sort();
    assert.ok(
      files.includes('deployment-clovis.yaml') &&
        files.includes('persistentvolumeclaim-clovis-data.yaml'),
      files.join(),
    );
    const kustomization = parse(
      await readFile(join(out, 'clovis', 'k8s', 'kustomization.yaml'), 'utf8'),
    ) as { resources: string[] };
    assert.deepEqual(
      [...kustomization.resources].sort(),
      files.filter((f) => f !== 'kustomization.yaml'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('berth schema prints a JSON Schema with a definition and descriptions per kind', async () => {
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['schema'], io), 0);
  const schema = JSON.parse(captured.out) as {
    definitions: Record<string, { description: string; properties: Record<string, unknown> }>;
  };
  assert.deepEqual(Object.keys(schema.definitions), [
    'Platform',
    'Agent',
    'AgentPool',
    'Service',
    'Store',
    'Secret',
    'Workflow',
    'Watchdog',
  ]);
  for (const def of Object.values(schema.definitions)) assert.ok(def.description.length > 10);
});

test('the printed JSON Schema accepts every example document (schema and validator come from one source)', async () => {
  const { Ajv } = await import('ajv');
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['schema'], io), 0);
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(captured.out) as object);
  for (const name of examples) {
    const files = (await readdir(exampleDir(name), { recursive: true })).filter((f) =>
      f.endsWith('.yaml'),
    );
    for (const f of files) {
      for (const doc of parseAllDocuments(await readFile(join(exampleDir(name), f), 'utf8'))) {
        assert.ok(validate(doc.toJS()), `${name}/${f}: ${JSON.stringify(validate.errors)}`);
      }
    }
  }
  assert.equal(
    validate({
      apiVersion: 'berth.dev/v1alpha1',
      kind: 'Agent',
      metadata: { name: 'a' },
      spec: { imagee: 'x' },
    }),
    false,
  );
});

test('berth validate -o json prints the diagnostics as data (exit 2) or valid: true (exit 0)', async () => {
  const bad = memoryIO();
  assert.equal(await runCli(['validate', fixture('unknown-field.yaml'), '-o', 'json'], bad.io), 2);
  const report = JSON.parse(bad.captured.out) as {
    valid: boolean;
    diagnostics: {
      position: { line: number; column: number };
      path: string;
      message: string;
      hint: string;
    }[];
  };
  assert.equal(report.valid, false);
  assert.deepEqual(
    report.diagnostics.map((d) => [d.position.line, d.position.column, d.path, d.message, d.hint]),
    [
      [15, 3, 'spec.imagee', 'unknown field "imagee"', 'did you mean "image"?'],
      [17, 5, 'spec.storage.sise', 'unknown field "sise"', 'did you mean "size"?'],
    ],
  );
  const good = memoryIO();
  assert.equal(await runCli(['validate', exampleDir('archon'), '--output', 'json'], good.io), 0);
  assert.equal((JSON.parse(good.captured.out) as { valid: boolean }).valid, true);
  const usage = memoryIO();
  assert.equal(await runCli(['validate', exampleDir('archon'), '-o', 'xml'], usage.io), 2);
});

test('berth render on an invalid workspace exits 2 and writes no folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-render-'));
  try {
    const { io, captured } = memoryIO();
    assert.equal(await runCli(['render', fixture('dangling.yaml'), '-o', join(dir, 'out')], io), 2);
    assert.equal(captured.out, '');
    assert.match(captured.err, /5 errors found\./);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
