import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../model/object.ts';
import { toYamlDocument, toYamlStream } from './yaml.ts';

const tricky: Record<string, unknown> = {
  plain: 'nginx',
  path: '/var/cache/nginx',
  image: 'ghcr.io/acme/agent:1.4.2',
  yes: 'yes',
  on: 'on',
  off: 'Off',
  no: 'NO',
  nul: 'null',
  tilde: '~',
  number: '8080',
  float: '1.5',
  octal: '0755',
  exp: '1e3',
  empty: '',
  colon: 'a: b',
  hash: 'a #b',
  dollar: '$G',
  var: '$(POD_NAME)',
  star: '*/15 * * * *',
  quote: 'say "hi"',
  unicode: 'Clóvis',
  multi: 'line one\nline two\n',
  multiNoEnd: 'a\nb',
  multiIndented: '  a\nb\n',
  multiBlank: 'a\n\nb\n',
  multiTrailing: 'a\n\n',
  control: 'a\u0007b',
  int: 42,
  bool: false,
  null: null,
  emptyMap: {},
  emptyList: [],
  nested: {
    list: [{ a: 1, b: [1, 2] }, 'x', [['deep']], {}],
    map: { 'app.kubernetes.io/name': 'x' },
  },
};

test('every value survives a round trip through a YAML 1.2 parser', () => {
  assert.deepEqual(parse(toYamlDocument(tricky)), tricky);
});

test('strings a YAML 1.1 reader would take for booleans, numbers or null are quoted', () => {
  const parsed11 = parse(toYamlDocument(tricky), { version: '1.1' }) as Record<string, unknown>;
  for (const key of ['yes', 'on', 'off', 'no', 'nul', 'number', 'float', 'octal', 'exp'])
    assert.equal(parsed11[key], tricky[key], key);
});

test('a stream holds one document per object, in order, and nothing for no objects', () => {
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
  ];
  const docs = parseAllDocuments(toYamlStream(objects)).map((d) => d.toJS() as KubeObject);
  assert.deepEqual(docs, objects);
  assert.equal(toYamlStream([]), '');
});
