// The shipped schema file is what the generator makes from the pinned Kubernetes module
// (regenerate with `node --import tsx scripts/gen-kube-schemas.ts`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSchemaSet } from '../../scripts/gen-kube-schemas.ts';

test('src/audit/schema/data/kubernetes.json is up to date with the pinned Kubernetes module', () => {
  const shipped = readFileSync(
    join(import.meta.dirname, '../../src/audit/schema/data/kubernetes.json'),
    'utf8',
  );
  const { set, enumFields } = buildSchemaSet();
  assert.ok(enumFields > 50, 'enums read from the Go types');
  assert.equal(shipped, `${JSON.stringify(set)}\n`);
});
