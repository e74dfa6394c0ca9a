import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPath, parseFullStream, parseYamlStream, positionOf } from './stream.ts';

const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data:
  key: value
---
kind: List
items:
  - name: first
  - name: second
`;

test('parses every document of a stream with its index', () => {
  const stream = parseYamlStream(text, 'x.yaml');
  assert.equal(stream.diagnostics.length, 0);
  assert.deepEqual(
    stream.documents.map((d) => d.index),
    [0, 1],
  );
});

test('positionOf finds nested map and sequence nodes, or the nearest ancestor', () => {
  const [first, second] = parseYamlStream(text, 'x.yaml').documents;
  assert.ok(first && second);
  assert.deepEqual(positionOf(first, ['data', 'key']), { file: 'x.yaml', line: 6, column: 8 });
  assert.deepEqual(positionOf(first, ['data', 'key'], { key: true }), {
    file: 'x.yaml',
    line: 6,
    column: 3,
  });
  assert.deepEqual(positionOf(second, ['items', 1, 'name']), {
    file: 'x.yaml',
    line: 11,
    column: 11,
  });
  assert.equal(positionOf(first, ['data', 'missing']).line, 6);
});

test('syntax errors become diagnostics with a position, never exceptions', () => {
  const stream = parseYamlStream('a: [1, 2\nb: c\n', 'bad.yaml');
  assert.ok(stream.diagnostics.length > 0);
  assert.equal(stream.diagnostics[0]?.position?.file, 'bad.yaml');
  assert.match(stream.diagnostics[0]?.message ?? '', /YAML syntax error/);
});

test('duplicate keys are syntax errors', () => {
  const stream = parseYamlStream('a: 1\na: 2\n', 'dup.yaml');
  assert.equal(stream.diagnostics.length, 1);
});

test('formatPath prints dotted paths with indexes', () => {
  assert.equal(formatPath(['spec', 'agents', 2, 'storage']), 'spec.agents[2].storage');
});

// The fast path (js-yaml) must read every stream it accepts exactly as the `yaml` library does;
// streams where they could differ go to the full path. Both readings are compared here.
const readings: [string, string, 'fast' | 'full'][] = [
  ['plain map', 'a: 1\nb: [x, "y"]\nc: { d: true }\n', 'fast'],
  [
    'core schema scalars',
    'i: 012\nh: 0x1F\no: 0o14\nf: 1e3\nn: ~\nt: True\ns: yes\nd: 2026-01-01\n',
    'fast',
  ],
  ['infinities', 'a: .inf\nb: -.Inf\n', 'fast'],
  ['block scalars', 'a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\n', 'fast'],
  ['several documents', 'a: 1\n---\nb: 2\n', 'fast'],
  ['merge key stays a key', 'a:\n  <<: {x: 1}\n', 'fast'],
  ['numeric keys', '1: a\n1.5: b\n', 'fast'],
  ['anchors and aliases', 'a: &x {k: 1}\nb: *x\n', 'full'],
  ['tags', 'a: !!str 1\n', 'full'],
  ['YAML 1.1 directive', '%YAML 1.1\n---\na: on\n', 'full'],
  ['underscored number', 'a: 1_000\n', 'full'],
  ['binary number', 'a: 0b101\n', 'full'],
  ['null key', '~: a\n', 'full'],
  ['complex key', '? [a, b]\n: c\n', 'full'],
  ['trailing empty document', 'a: 1\n---\n', 'full'],
  ['duplicate keys', 'a: 1\na: 2\n', 'full'],
  ['syntax error', 'a: [1, 2\n', 'full'],
];
for (const [name, yaml, reader] of readings) {
  test(`fast and full YAML readings agree: ${name} (${reader} path)`, () => {
    const fast = parseYamlStream(yaml, 'x.yaml');
    const full = parseFullStream(yaml, 'x.yaml');
    assert.equal(fast.reader, reader);
    assert.deepEqual(
      fast.documents.map((d) => d.value),
      full.documents.map((d) => d.value),
    );
    assert.deepEqual(fast.diagnostics, full.diagnostics);
  });
}

test('a fast-path document builds its `yaml` document on demand for positions', () => {
  const [doc] = parseYamlStream('a:\n  b: 1\n', 'x.yaml').documents;
  assert.ok(doc);
  assert.deepEqual(positionOf(doc, ['a', 'b']), { file: 'x.yaml', line: 2, column: 6 });
});
