import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCycle, graphDot, graphMermaid, graphText, waves } from './graph.ts';

const deps = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] };
const order = ['a', 'b', 'c', 'd'];

test('graph: waves group what can run together, in declaration order', () => {
  assert.deepEqual(waves(order, deps), [['a'], ['b', 'c'], ['d']]);
});

test('graph: cycles are named in run order, self-loops too', () => {
  assert.equal(findCycle(order, deps), undefined);
  assert.deepEqual(findCycle(['a', 'b'], { a: ['b'], b: ['a'] }), ['a', 'b', 'a']);
  assert.deepEqual(findCycle(['a', 'b', 'c'], { a: ['c'], b: ['a'], c: ['b'] }), [
    'a',
    'b',
    'c',
    'a',
  ]);
  assert.deepEqual(findCycle(['a'], { a: ['a'] }), ['a', 'a']);
});

test('graph: text, Mermaid and DOT', () => {
  const nodes = order.map((name) => ({
    name,
    task: 'apply',
    ...(name === 'c' ? { when: 'x > 1' } : {}),
  }));
  assert.equal(
    graphText(nodes, deps),
    'wave 1\n  a (apply)\nwave 2\n  b (apply)  after a\n  c (apply)  after a  when x > 1\nwave 3\n  d (apply)  after b, c\n',
  );
  assert.match(
    graphMermaid(nodes, deps),
    /^flowchart TD\n {2}a\["a<br\/>apply"\][\s\S]* {2}c --> d\n$/,
  );
  assert.match(
    graphDot('wf', nodes, deps),
    /^digraph "wf" \{[\s\S]*"b" -> "d";\n {2}"c" -> "d";\n\}\n$/,
  );
});
