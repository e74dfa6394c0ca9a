import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checksum, codeCacheDir, requireWithCodeCache } from './code-cache.ts';

function setup(): { dir: string; file: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
  const file = join(dir, 'bundle.cjs');
  writeFileSync(
    file,
    "'use strict';\nconst { sep } = require('node:path');\nexports.answer = (n) => n * 2 + sep.length;\nexports.where = __filename;\n",
  );
  return { dir, file, cache: join(dir, 'cache') };
}

test('first run compiles and writes the cache, the next run uses it', (t) => {
  const { dir, file, cache } = setup();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = requireWithCodeCache<{ answer(n: number): number; where: string }>(
    file,
    'k1',
    cache,
    'audit',
  );
  assert.equal(first.fromCache, false);
  assert.equal(first.exports.answer(20), 41);
  assert.equal(first.exports.where, file);
  first.save();
  assert.deepEqual(readdirSync(cache), ['bundle.cjs-k1-audit.bin']);
  const second = requireWithCodeCache<{ answer(n: number): number }>(file, 'k1', cache, 'audit');
  assert.equal(second.fromCache, true);
  assert.equal(second.exports.answer(1), 3);
});

test('a corrupt, truncated or empty cache is ignored and rewritten', (t) => {
  const { dir, file, cache } = setup();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  requireWithCodeCache(file, 'k1', cache, 'audit').save();
  const path = join(cache, 'bundle.cjs-k1-audit.bin');
  const good = readFileSync(path);
  const flipped = Buffer.from(good);
  flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0xff;
  for (const bad of [
    flipped,
    good.subarray(0, good.length - 7),
    Buffer.alloc(0),
    Buffer.from('xyz'),
  ]) {
    writeFileSync(path, bad);
    const loaded = requireWithCodeCache<{ answer(n: number): number }>(file, 'k1', cache, 'audit');
    assert.equal(loaded.fromCache, false);
    assert.equal(loaded.exports.answer(2), 5);
    loaded.save();
    assert.ok(readFileSync(path).equals(good) || readFileSync(path).length > 4);
    assert.equal(requireWithCodeCache(file, 'k1', cache, 'audit').fromCache, true);
  }
});

test('a new key replaces the caches of earlier builds; no cache folder still runs', (t) => {
  const { dir, file, cache } = setup();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  requireWithCodeCache(file, 'old', cache, 'audit').save();
  requireWithCodeCache(file, 'old', cache, 'other').save();
  requireWithCodeCache(file, 'new', cache, 'audit').save();
  assert.deepEqual(readdirSync(cache).sort(), [
    'bundle.cjs-new-audit.bin',
    'bundle.cjs-old-other.bin',
  ]);
  const loaded = requireWithCodeCache<{ answer(n: number): number }>(file, 'k', undefined, 'audit');
  assert.equal(loaded.exports.answer(0), 1);
  loaded.save(); // nowhere to write: no error
  writeFileSync(join(dir, 'blocker'), '');
  requireWithCodeCache(file, 'k', join(dir, 'blocker', 'cache'), 'audit').save(); // unwritable: no error
});

test('cache folder from XDG_CACHE_HOME or HOME; checksum is stable', () => {
  assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), join('/x', 'berth', 'code'));
  assert.equal(codeCacheDir({ HOME: '/h' }), join('/h', '.cache', 'berth', 'code'));
  assert.equal(codeCacheDir({}), undefined);
  assert.equal(
    checksum(Buffer.from('berth code cache')).toString('hex'),
    checksum(Buffer.from('berth code cache')).toString('hex'),
  );
  assert.notEqual(
    checksum(Buffer.from('abcd')).toString('hex'),
    checksum(Buffer.from('abce')).toString('hex'),
  );
});
