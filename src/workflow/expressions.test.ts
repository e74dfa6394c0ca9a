import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkExpression,
  evaluateCondition,
  evaluateExpression,
  identifiersOf,
  interpolate,
  stepReferencesOf,
} from './expressions.ts';

const scope = {
  queue_depth: 12,
  current: 3,
  max: 20,
  role: 'developer',
  steps: { a: { status: 'succeeded', outputs: { n: 2 } } },
};

const cases: [string, unknown][] = [
  ['queue_depth > 10 && current < max', true],
  ['least(current + 2, max)', 5],
  ['greatest(current - 1, 2)', 2],
  ['queue_depth > 10 ? "scale_up" : "no_change"', 'scale_up'],
  ['"agents-" + role', 'agents-developer'],
  ['steps.a.outputs.n * 2', 4],
  ['[1, 2, 3].map(x, x * current)', [3, 6, 9]],
  ['{"a": current}', { a: 3 }],
  ['0.5 * 2.0', 1],
];
for (const [expr, want] of cases)
  test(`expressions: ${expr}`, () => assert.deepEqual(evaluateExpression(expr, scope), want));

test('expressions: check names the unknown variable; syntax errors have an offset', () => {
  assert.equal(checkExpression('queue_depth > 1', ['queue_depth']), undefined);
  assert.match(
    checkExpression('depth > 1', ['queue_depth'])?.message ?? '',
    /Unknown variable: depth/,
  );
  const syntax = checkExpression('a >', ['a']);
  assert.match(syntax?.message ?? '', /Unexpected token/);
  assert.equal(typeof syntax?.offset, 'number');
});

test('expressions: a condition must be a boolean (no truthiness)', () => {
  assert.equal(evaluateCondition('current == 3', scope), true);
  assert.throws(() => evaluateCondition('current', scope), /must be true or false/);
});

test('expressions: identifiers and steps.<name> references (implicit dependencies)', () => {
  assert.deepEqual(identifiersOf('a > 1 && f(b.c)').sort(), ['a', 'b']);
  assert.deepEqual(
    stepReferencesOf('steps.deploy-data.status == "succeeded" && steps.x.outputs.y'),
    ['deploy-data', 'x'],
  );
});

test('expressions: ${} keeps the type of a whole-string placeholder, prints inside text, deeply', () => {
  assert.deepEqual(
    interpolate(
      {
        replicas: '${least(current + 2, max)}',
        name: 'agents-${role}',
        list: ['${queue_depth}'],
        n: 1,
      },
      scope,
    ),
    { replicas: 5, name: 'agents-developer', list: [12], n: 1 },
  );
});
