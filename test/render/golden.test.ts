// Golden files of each example's rendered output. After an intended change, refresh them with
//   BERTH_UPDATE_GOLDEN=1 npm test -- --test-name-pattern golden
// and review the diff.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { renderWorkspace, toYamlStream } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import { exampleDir, examples, goldenFile } from './examples.ts';

const update = process.env.BERTH_UPDATE_GOLDEN === '1';

for (const name of examples) {
  test(`golden: ${name} renders exactly as recorded`, async () => {
    const rendered = toYamlStream(renderWorkspace(await loadWorkspace(exampleDir(name))));
    if (update) await writeFile(goldenFile(name), rendered, 'utf8');
    const golden = await readFile(goldenFile(name), 'utf8').catch(() => {
      throw new Error(`no golden file ${goldenFile(name)}: run BERTH_UPDATE_GOLDEN=1 npm test`);
    });
    assert.ok(
      rendered === golden,
      `${name} output changed (${firstDifference(golden, rendered)}); if intended, rerun with BERTH_UPDATE_GOLDEN=1 and review the diff`,
    );
  });
}

function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `first difference at line ${at + 1}: expected ${JSON.stringify(a[at] ?? '<end>')}, got ${JSON.stringify(b[at] ?? '<end>')}`;
}
