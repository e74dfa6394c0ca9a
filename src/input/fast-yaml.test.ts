import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYamlStream, positionOf } from '../yaml/stream.ts';
import { parseFast } from './fast-yaml.ts';

const text = `# comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: x:1
          securityContext:
            runAsNonRoot: true
---
apiVersion: v1
kind: Service
metadata: {name: s}
`;

test('fast reader: values equal the yaml library, lines point at the field or its key', () => {
  const fast = parseFast(text);
  assert.ok(fast);
  const slow = parseYamlStream(text, 'f');
  assert.deepEqual(
    fast.map((d) => d.value),
    slow.documents.map((d) => d.value),
  );
  const doc = fast[0];
  assert.ok(doc);
  const cases: [(string | number)[], number][] = [
    [[], 2],
    [['metadata', 'name'], 5],
    [['spec', 'template', 'spec', 'containers', 0, 'image'], 11],
    [['spec', 'template', 'spec', 'containers', 0, 'securityContext'], 12],
    [['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot'], 13],
    [['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'seccompProfile'], 12],
    [['spec', 'template', 'spec', 'volumes'], 8],
  ];
  for (const [path, line] of cases) assert.equal(doc.lineOf(path), line, path.join('.'));
  const first = slow.documents[0];
  assert.ok(first);
  assert.equal(doc.lineOf(['metadata', 'name']), positionOf(first, ['metadata', 'name']).line);
  assert.equal(fast[1]?.lineOf([]), 15);
});

test('fast reader: a syntax error returns undefined (the caller falls back to the yaml library)', () => {
  assert.equal(parseFast('a: [1, 2\n'), undefined);
  assert.equal(parseFast('a: 1\na: 2\n'), undefined, 'duplicate keys');
});

test('fast reader: dates stay strings (YAML 1.2 core), merge keys resolve as in Kubernetes', () => {
  const docs = parseFast('base: &b {a: 1}\nx:\n  <<: *b\n  c: 2\ndate: 2026-01-01\nyes: yes\n');
  assert.deepEqual(docs?.[0]?.value, {
    base: { a: 1 },
    x: { a: 1, c: 2 },
    date: '2026-01-01',
    yes: 'yes',
  });
});

test('fast reader: a key is found on its own line, never across a line break or a blank line', () => {
  const manifest = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: c',
    '  annotations:',
    '',
    '    "a.b/c+d": x',
    '    other: y',
    'data:',
    '  key:',
    '',
    '    value',
    'items:',
    '  - name: first',
    '  -   name: second',
    '  -',
    '    name: third',
    '',
  ].join('\n');
  for (const [label, text] of [
    ['LF', manifest],
    ['CRLF', manifest.replace(/\n/g, '\r\n')],
  ] as const) {
    const doc = parseFast(text)?.[0];
    assert.ok(doc, label);
    const cases: [(string | number)[], number][] = [
      [['metadata', 'annotations', 'a.b/c+d'], 7],
      [['metadata', 'annotations', 'other'], 8],
      [['data', 'key'], 10],
      [['items', 0, 'name'], 14],
      [['items', 1, 'name'], 15],
      [['items', 2, 'name'], 17],
      [['metadata', 'annotations', 'missing'], 5],
      [['metadata', 'annotations', 'line\nbreak'], 5],
    ];
    for (const [path, line] of cases)
      assert.equal(doc.lineOf(path), line, `${label}: ${path.join('.')}`);
  }
});

test('fast reader: scalars resolve as under js-yaml core schema + merge keys', async () => {
  const { default: jsyaml } = await import('js-yaml');
  const merge = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge;
  const core = jsyaml.CORE_SCHEMA.extend({ implicit: [merge] });
  const scalars = [
    ...['null', 'Null', 'NULL', '~', 'nil', 'none', 'n', 'N', 'no', 'No', 'off', 'on', 'y', 'Y'],
    ...['true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yes', 'Yes', 't', 'f', 'F'],
    ...['0', '-0', '+1', '007', '0x1F', '0o17', '0b11', '1_000', '1e3', '-1.5E-3', '.5', 'e3'],
    ...['.inf', '-.Inf', '+.INF', '.nan', '.NaN', 'Infinity', 'NaN', 'inf', 'nan', '2026-01-01'],
    ...['apps/v1', 'Deployment', 'A', 'z9', '_x', '[]', '{}', 'Ünïcode', 'ñ', "'q'"],
  ];
  // Each as a value, a key and a list item, one document each (null and Null are the same key).
  const yaml = scalars
    .map((v) => `value: ${v}\n${/^[[{]/.test(v) ? '' : `${v}: key\n`}list:\n  - ${v}\n`)
    .join('---\n');
  const expected = jsyaml.loadAll(yaml, null, { schema: core });
  assert.equal(expected.length, scalars.length);
  assert.deepEqual(
    parseFast(yaml)?.map((d) => d.value),
    expected,
  );
});
