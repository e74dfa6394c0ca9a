import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPath, parseYamlStream, positionOf } from './stream.ts';

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
