import assert from 'node:assert/strict';
import { test } from 'node:test';
import { depthOf, parseJsonPath, valueAt } from './json-path.ts';

test('parseJsonPath: dotted, indexed and quoted forms', () => {
  const cases: [string, (string | number)[]][] = [
    ['$.queue.depth', ['queue', 'depth']],
    ['queue.depth', ['queue', 'depth']],
    ['$.items[0].count', ['items', 0, 'count']],
    ['items.1', ['items', 1]],
    ["$['queue-a'].depth", ['queue-a', 'depth']],
    ['$["x"][2]', ['x', 2]],
    ['$', []],
  ];
  for (const [path, segments] of cases) assert.deepEqual(parseJsonPath(path), segments, path);
});

test('parseJsonPath: errors name the character', () => {
  assert.throws(() => parseJsonPath('$.a..b'), /empty name at character 4/);
  assert.throws(() => parseJsonPath('$.a[0'), /unclosed \[/);
  assert.throws(() => parseJsonPath('$.a[b]'), /expected an index or a quoted name/);
});

test('valueAt and depthOf', () => {
  const data = { q: { depth: 7, s: '12', bad: -1, items: [{ n: 3 }] } };
  const at = (p: string) => depthOf(valueAt(data, parseJsonPath(p)));
  assert.equal(at('$.q.depth'), 7);
  assert.equal(at('$.q.s'), 12);
  assert.equal(at('$.q.items[0].n'), 3);
  assert.equal(at('$.q.bad'), undefined);
  assert.equal(at('$.q.missing'), undefined);
  assert.equal(at('$.q.items.x'), undefined);
  assert.equal(depthOf(''), undefined);
  assert.equal(depthOf(Number.NaN), undefined);
});
