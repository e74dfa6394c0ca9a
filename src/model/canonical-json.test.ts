import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.ts';

test('canonicalJson: keys sorted at every depth, JSON values otherwise', () => {
  const cases: [unknown, string][] = [
    [
      { b: 1, a: { d: [2, { z: 1, y: 'x' }], c: null } },
      '{"a":{"c":null,"d":[2,{"y":"x","z":1}]},"b":1}',
    ],
    [{ a: undefined, b: 1 }, '{"b":1}'],
    [[undefined, 1], '[null,1]'],
    ['é"\n', JSON.stringify('é"\n')],
    [true, 'true'],
    [undefined, 'null'],
    [{}, '{}'],
    [[], '[]'],
  ];
  for (const [value, text] of cases) assert.equal(canonicalJson(value), text);
  // Whatever the key order, the same text; and what JSON.parse gives back is the value.
  const one = { spec: { replicas: 2, template: { metadata: { labels: { b: '1', a: '2' } } } } };
  const two = { spec: { template: { metadata: { labels: { a: '2', b: '1' } } }, replicas: 2 } };
  assert.equal(canonicalJson(one), canonicalJson(two));
  assert.deepEqual(JSON.parse(canonicalJson(one)), one);
});
