import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeDirAtomic, writeFileAtomic } from './atomic.ts';

test('writeFileAtomic replaces a file and leaves no temp file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-atomic-'));
  const path = join(dir, 'a.yaml');
  await writeFile(path, 'old');
  await writeFileAtomic(path, 'new');
  assert.equal(await readFile(path, 'utf8'), 'new');
  assert.deepEqual(await readdir(dir), ['a.yaml']);
});

test('writeDirAtomic swaps a whole folder, removing files that are no longer there', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'berth-atomic-'));
  const out = join(parent, 'out');
  await writeDirAtomic(
    out,
    new Map([
      ['a/k8s/x.yaml', '1'],
      ['stale.yaml', 's'],
    ]),
  );
  await writeDirAtomic(out, new Map([['a/k8s/x.yaml', '2']]));
  assert.equal(await readFile(join(out, 'a/k8s/x.yaml'), 'utf8'), '2');
  assert.deepEqual((await readdir(out)).sort(), ['a']);
  assert.deepEqual(await readdir(parent), ['out']);
});
