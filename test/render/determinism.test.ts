import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderWorkspace, toYamlStream } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import { validateWorkspace } from '../../src/spec/index.ts';
import { parseYamlStream } from '../../src/yaml/stream.ts';
import { exampleDir, examples } from './examples.ts';

async function streamsOf(dir: string) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => join(e.parentPath, e.name));
  return Promise.all(files.map(async (f) => parseYamlStream(await readFile(f, 'utf8'), f)));
}

for (const name of examples) {
  test(`determinism: ${name} renders byte-identically twice and whatever the file order`, async () => {
    const first = toYamlStream(renderWorkspace(await loadWorkspace(exampleDir(name))));
    const second = toYamlStream(renderWorkspace(await loadWorkspace(exampleDir(name))));
    assert.equal(first, second);
    const streams = await streamsOf(exampleDir(name));
    const reversed = validateWorkspace([...streams].reverse());
    assert.deepEqual(reversed.diagnostics, []);
    assert.ok(reversed.workspace);
    assert.equal(toYamlStream(renderWorkspace(reversed.workspace)), first);
  });
}
