import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lazySchemaSet, packSchemaSet } from './lazy.ts';
import type { SchemaSet } from './types.ts';
import { validateAgainst } from './validate.ts';

const data = join(import.meta.dirname, 'data');

/** Every definition of a lazily read set, read through `loadDef` as the validator does. */
function allDefs(set: SchemaSet, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, set.defs[n] ?? set.loadDef?.(n)]));
}

for (const file of ['kubernetes.json', 'kubernetes-1.31.json', 'kubernetes-1.24.json']) {
  test(`the packed ${file} reads back as the same schema set`, () => {
    const set = JSON.parse(readFileSync(join(data, file), 'utf8')) as SchemaSet;
    const lazy = lazySchemaSet(packSchemaSet(set));
    assert.equal(lazy.source, set.source);
    assert.deepEqual(lazy.kinds, set.kinds);
    assert.deepEqual(allDefs(lazy, Object.keys(set.defs)), set.defs);
    assert.equal(lazy.loadDef?.('no.such.Definition'), undefined);
    assert.equal(lazy.loadDef?.('__proto__'), undefined);
  });
}

test('a packed definition is parsed when first asked for, then kept in defs', () => {
  const set = JSON.parse(readFileSync(join(data, 'kubernetes.json'), 'utf8')) as SchemaSet;
  const lazy = lazySchemaSet(packSchemaSet(set));
  const podSpec = 'io.k8s.api.core.v1.PodSpec';
  assert.equal(lazy.defs[podSpec], undefined, 'nothing parsed up front');
  const first = lazy.loadDef?.(podSpec);
  assert.deepEqual(first, set.defs[podSpec]);
  assert.equal(lazy.defs[podSpec], first, 'kept');
  assert.equal(
    lazy.defs['io.k8s.api.core.v1.NodeSpec'],
    undefined,
    'entries never asked for stay text',
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
  const packed = validateAgainst(deployment, lazy.kinds[key] ?? {}, lazy.defs, {
    ...(lazy.loadDef ? { loadDef: lazy.loadDef } : {}),
  });
  assert.deepEqual(packed, plain);
});
