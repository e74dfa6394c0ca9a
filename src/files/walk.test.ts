import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { listFiles } from './walk.ts';

test('listFiles walks in name order, skips hidden entries and node_modules, filters by name', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-walk-'));
  for (const file of [
    'b.yaml',
    'a/z.yaml',
    'a/c.yml',
    'a/readme.md',
    '.hidden/x.yaml',
    'node_modules/m.yaml',
  ]) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), '');
  }
  const found = await listFiles(dir, (name) => /\.ya?ml$/.test(name));
  assert.deepEqual(
    found.map((f) => relative(dir, f)),
    ['a/c.yml', 'a/z.yaml', 'b.yaml'],
  );
});
