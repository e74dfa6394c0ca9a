// The spec's fast YAML path (js-yaml, positions computed only on error) must give the same
// diagnostics, byte for byte, and the same workspace as the `yaml` library's full path: on every
// error fixture and on the examples.
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { formatDiagnostic } from '../../src/errors.ts';
import { validateWorkspace } from '../../src/spec/index.ts';
import { parseFullStream, parseYamlStream, type YamlStream } from '../../src/yaml/stream.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'fixtures');

async function yamlFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const out: string[] = [];
  for (const name of (await readdir(path)).sort()) {
    const child = join(path, name);
    if ((await stat(child)).isDirectory()) out.push(...(await yamlFiles(child)));
    else if (/\.ya?ml$/.test(name)) out.push(child);
  }
  return out;
}

async function both(path: string): Promise<{ fast: YamlStream[]; full: YamlStream[] }> {
  const files = await yamlFiles(path);
  const texts = await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')] as const));
  return {
    fast: texts.map(([f, t]) => parseYamlStream(t, relative(root, f))),
    full: texts.map(([f, t]) => parseFullStream(t, relative(root, f))),
  };
}

const cases = [
  ...(await readdir(fixtures)).map((name) => join(fixtures, name)),
  ...(await readdir(join(root, 'examples'))).map((name) => join(root, 'examples', name)),
];

for (const path of cases) {
  test(`fast and full YAML paths agree: ${relative(root, path)}`, async () => {
    const { fast, full } = await both(path);
    const a = validateWorkspace(fast);
    const b = validateWorkspace(full);
    assert.deepEqual(a.diagnostics.map(formatDiagnostic), b.diagnostics.map(formatDiagnostic));
    assert.deepEqual(a.workspace, b.workspace);
  });
}

test('at least one error fixture takes the fast path (positions computed on error only)', async () => {
  const { fast } = await both(join(fixtures, 'unknown-field.yaml'));
  const [stream] = fast;
  assert.ok(stream);
  assert.equal(stream.reader, 'fast');
  assert.ok(validateWorkspace(fast).diagnostics.length > 0);
});
