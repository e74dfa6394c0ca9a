import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lazySchemaSet, packSchemaSet } from './lazy.ts';
import type { SchemaSet } from './types.ts';
import { validateAgainst } from './validate.ts';

const data = join(import.meta.dirname, 'data');

for (const file of ['kubernetes.json', 'kubernetes-1.31.json', 'kubernetes-1.24.json']) {
  test(`the packed ${file} reads back as the same schema set`, () => {
    const set = JSON.parse(readFileSync(join(data, file), 'utf8')) as SchemaSet;
    const lazy = lazySchemaSet(packSchemaSet(set));
    assert.equal(lazy.source, set.source);
    assert.deepEqual(Object.keys(lazy.kinds), Object.keys(set.kinds));
    assert.deepEqual(Object.keys(lazy.defs), Object.keys(set.defs));
    for (const name of Object.keys(set.kinds)) assert.deepEqual(lazy.kinds[name], set.kinds[name]);
    for (const name of Object.keys(set.defs)) assert.deepEqual(lazy.defs[name], set.defs[name]);
  });
}

test('a packed entry is parsed when first read, then kept', () => {
  const set = JSON.parse(readFileSync(join(data, 'kubernetes.json'), 'utf8')) as SchemaSet;
  const lazy = lazySchemaSet(packSchemaSet(set));
  const podSpec = 'io.k8s.api.core.v1.PodSpec';
  assert.equal(typeof Object.getOwnPropertyDescriptor(lazy.defs, podSpec)?.get, 'function');
  const first = lazy.defs[podSpec];
  assert.equal(lazy.defs[podSpec], first, 'the same object on every read');
  assert.equal(Object.getOwnPropertyDescriptor(lazy.defs, podSpec)?.value, first);
  assert.equal(
    typeof Object.getOwnPropertyDescriptor(lazy.defs, 'io.k8s.api.core.v1.NodeSpec')?.get,
    'function',
    'entries never read stay text',
  );
});

test('validation against the packed set reports what the plain set reports', () => {
  const set = JSON.parse(readFileSync(join(data, 'kubernetes.json'), 'utf8')) as SchemaSet;
  const lazy = lazySchemaSet(packSchemaSet(set));
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 5 } },
    spec: { replicas: 'two', template: { spec: { containers: [{ image: 'nginx', prots: [] }] } } },
  };
  const key = 'apps/v1 Deployment';
  const plain = validateAgainst(deployment, set.kinds[key] ?? {}, set.defs);
  assert.ok(plain.length >= 4, 'the sample has errors');
  assert.deepEqual(validateAgainst(deployment, lazy.kinds[key] ?? {}, lazy.defs), plain);
});
