// Issue 13: the spec path parses each file once (apply used to parse every file, then the spec
// loader parsed them all again).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadApplyInput } from '../../src/deploy/input.ts';
import { listFiles } from '../../src/files/walk.ts';
import { loadInputs } from '../../src/input/index.ts';
import { root } from './support.ts';

test('a berth spec workspace: one parse per file, and apply renders it from those parses', async () => {
  const workspace = join(root, 'examples', 'archon');
  const files = await listFiles(workspace, (n) => /\.ya?ml$/.test(n));
  const loaded = await loadInputs([workspace], {
    cwd: root,
    readStdin: () => Promise.resolve(''),
    env: {},
  });
  assert.ok(files.length > 0);
  assert.equal(loaded.parses, files.length);
  assert.equal(loaded.problems.length, 0);
  assert.ok(loaded.specObjects > 10);
  const applied = await loadApplyInput(workspace, () => Promise.resolve(''), {
    cwd: root,
    env: {},
  });
  assert.equal(applied.kind, 'spec');
  assert.equal(applied.objects.length, loaded.specObjects);
});

test('a spec on stdin is refused by apply (audit accepts it)', async () => {
  await assert.rejects(
    loadApplyInput('-', () =>
      Promise.resolve('apiVersion: berth.dev/v1alpha1\nkind: Platform\nmetadata: {name: p}\n'),
    ),
    /a berth spec must be given as a file or folder/,
  );
});
