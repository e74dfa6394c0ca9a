import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isEverything,
  matchesLabels,
  parseLabelSelector,
  parseSetSelector,
  requiredLabels,
  SelectorError,
  selectorOfWorkload,
} from './selector.ts';

const labels = { app: 'web', tier: 'front', env: 'prod' };

// Cases from apimachinery's labels/selector_test.go and metav1 LabelSelectorAsSelector.
const cases: [string, unknown, Record<string, string>, boolean][] = [
  ['empty selector matches everything', {}, labels, true],
  ['empty selector matches an object without labels', {}, {}, true],
  ['absent selector matches nothing', undefined, labels, false],
  ['null selector matches nothing', null, labels, false],
  ['matchLabels equal', { matchLabels: { app: 'web' } }, labels, true],
  ['matchLabels differ', { matchLabels: { app: 'api' } }, labels, false],
  ['matchLabels key missing', { matchLabels: { team: 'a' } }, labels, false],
  ['matchLabels AND', { matchLabels: { app: 'web', tier: 'back' } }, labels, false],
  ['empty matchLabels and expressions', { matchLabels: {}, matchExpressions: [] }, labels, true],
  [
    'In holds',
    { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] },
    labels,
    true,
  ],
  [
    'In fails on another value',
    { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
    labels,
    false,
  ],
  [
    'In fails without the key',
    { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] },
    labels,
    false,
  ],
  [
    'NotIn holds on another value',
    { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] },
    labels,
    true,
  ],
  [
    'NotIn holds without the key',
    { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] },
    labels,
    true,
  ],
  [
    'NotIn fails on a listed value',
    { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
    labels,
    false,
  ],
  ['Exists holds', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels, true],
  ['Exists fails', { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, labels, false],
  [
    'Exists holds on an empty value',
    { matchExpressions: [{ key: 'x', operator: 'Exists' }] },
    { x: '' },
    true,
  ],
  [
    'DoesNotExist holds',
    { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] },
    labels,
    true,
  ],
  [
    'DoesNotExist fails',
    { matchExpressions: [{ key: 'app', operator: 'DoesNotExist', values: [] }] },
    labels,
    false,
  ],
  [
    'labels and expressions together',
    {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }],
    },
    labels,
    true,
  ],
];
for (const [name, selector, objectLabels, expected] of cases) {
  test(`label selector: ${name}`, () => {
    assert.equal(matchesLabels(parseLabelSelector(selector), objectLabels), expected);
  });
}

const malformed: [string, unknown, RegExp][] = [
  ['a list', [], /selector: must be a map/],
  ['matchLabels a list', { matchLabels: ['a'] }, /matchLabels: must be a map/],
  ['a number label value', { matchLabels: { version: 1 } }, /matchLabels.version/],
  ['unknown operator', { matchExpressions: [{ key: 'a', operator: 'Equals' }] }, /operator/],
  ['In without values', { matchExpressions: [{ key: 'a', operator: 'In' }] }, /must not be empty/],
  [
    'Exists with values',
    { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
    /must be empty/,
  ],
  ['a requirement without key', { matchExpressions: [{ operator: 'Exists' }] }, /key/],
  ['matchExpressions a map', { matchExpressions: { key: 'a' } }, /must be a list/],
  [
    'non-string values',
    { matchExpressions: [{ key: 'a', operator: 'In', values: [1] }] },
    /list of strings/,
  ],
];
for (const [name, selector, message] of malformed) {
  test(`label selector: ${name} is an error, not "everything"`, () => {
    assert.throws(
      () => parseLabelSelector(selector),
      (e: unknown) => {
        assert.ok(e instanceof SelectorError);
        assert.match(e.message, message);
        return true;
      },
    );
  });
}

test('set selector (Service spec.selector): absent selects nothing, {} everything, map is AND', () => {
  assert.equal(matchesLabels(parseSetSelector(undefined), labels), false);
  assert.ok(isEverything(parseSetSelector({})));
  assert.equal(matchesLabels(parseSetSelector({ app: 'web', env: 'prod' }), labels), true);
  assert.equal(matchesLabels(parseSetSelector({ app: 'web', env: 'dev' }), labels), false);
  assert.throws(() => parseSetSelector({ port: 80 }), SelectorError);
});

test('workload selector: an empty selector selects nothing (apps/v1 rejects it)', () => {
  assert.equal(matchesLabels(selectorOfWorkload({ spec: { selector: {} } }), labels), false);
  assert.equal(matchesLabels(selectorOfWorkload({ spec: {} }), labels), false);
  const s = selectorOfWorkload({ spec: { selector: { matchLabels: { app: 'web' } } } });
  assert.equal(matchesLabels(s, labels), true);
});

test('required labels are the single-valued In requirements', () => {
  const s = parseLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['a', 'b'] },
      { key: 'x', operator: 'Exists' },
    ],
  });
  assert.deepEqual(requiredLabels(s), [['app', 'web']]);
});
