import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { codeCacheDir, requireWithCodeCache } from './code-cache.ts';

function setup(): { dir: string; file: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
  const file = join(dir, 'bundle.cjs');
  writeFileSync(
    file,
    "'use strict';\nconst { sep } = require('node:path');\nexports.answer = (n) => n * 2 + sep.length;\nexports.where = __filename;\n",
  );
  return { dir, file, cache: join(dir, 'cache') };
}

/** Loads the bundle in a new process (V8 keeps compiled code per process), saves, reports. */
function loadInChild(
  file: string,
  key: string,
  cache: string,
): { fromCache: boolean; answer: number } {
  const module = new URL('./code-cache.ts', import.meta.url).href;
  const script = `const { requireWithCodeCache } = await import(${JSON.stringify(module)});
const loaded = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(key)}, ${JSON.stringify(cache)}, 'audit');
const answer = loaded.exports.answer(20);
loaded.save();
console.log(JSON.stringify({ fromCache: loaded.fromCache, answer }));`;
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { fromCache: boolean; answer: number };
}

test('first run compiles and writes the cache, the next process uses it', (t) => {
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
  assert.deepEqual(loadInChild(file, 'k1', cache), { fromCache: true, answer: 41 });
});

test('a corrupt, truncated or foreign cache is rejected by its checksum and rewritten', (t) => {
  const { dir, file, cache } = setup();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(loadInChild(file, 'k1', cache), { fromCache: false, answer: 41 });
  const path = join(cache, 'bundle.cjs-k1-audit.bin');
  const good = readFileSync(path);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 40] = (flipped[flipped.length - 40] ?? 0) ^ 0x55;
  for (const bad of [flipped, good.subarray(0, good.length - 7), Buffer.from('xyz')]) {
    writeFileSync(path, bad);
    assert.deepEqual(loadInChild(file, 'k1', cache), { fromCache: false, answer: 41 });
    assert.deepEqual(loadInChild(file, 'k1', cache), { fromCache: true, answer: 41 });
  }
});

test('caches of other builds: the newest three per tag are kept; no cache folder still runs', (t) => {
  const { dir, file, cache } = setup();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  requireWithCodeCache(file, 'k0', cache, 'other').save();
  for (const [i, key] of ['k1', 'k2', 'k3', 'k4'].entries()) {
    requireWithCodeCache(file, key, cache, 'audit').save();
    const at = new Date(Date.now() - (10 - i) * 60_000);
    utimesSync(join(cache, `bundle.cjs-${key}-audit.bin`), at, at);
  }
  requireWithCodeCache(file, 'k5', cache, 'audit').save();
  assert.deepEqual(readdirSync(cache).sort(), [
    'bundle.cjs-k0-other.bin',
    'bundle.cjs-k3-audit.bin',
    'bundle.cjs-k4-audit.bin',
    'bundle.cjs-k5-audit.bin',
  ]);
  const loaded = requireWithCodeCache<{ answer(n: number): number }>(file, 'k', undefined, 'audit');
  assert.equal(loaded.exports.answer(0), 1);
  loaded.save(); // nowhere to write: no error
  writeFileSync(join(dir, 'blocker'), '');
  requireWithCodeCache(file, 'k', join(dir, 'blocker', 'cache'), 'audit').save(); // unwritable: no error
});

test('cache folder from XDG_CACHE_HOME or HOME', () => {
  assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), join('/x', 'berth', 'code'));
  assert.equal(codeCacheDir({ HOME: '/h' }), join('/h', '.cache', 'berth', 'code'));
  assert.equal(codeCacheDir({}), undefined);
});
