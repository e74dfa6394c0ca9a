// The shipped schema file is what the generator makes from the pinned Kubernetes module
// (regenerate with `node --import tsx scripts/gen-kube-schemas.ts`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { buildLifecycle } from '../../scripts/gen-api-lifecycle.ts';
import { buildSchemaSet, olderReleases, schemaFileOf } from '../../scripts/gen-kube-schemas.ts';

test('src/audit/schema/data/kubernetes.json is up to date with the pinned Kubernetes module', () => {
  const shipped = readFileSync(
    join(import.meta.dirname, '../../src/audit/schema/data/kubernetes.json'),
    'utf8',
  );
  const { set, enumFields } = buildSchemaSet();
  assert.ok(enumFields > 50, 'enums read from the Go types');
  assert.equal(shipped, `${JSON.stringify(set)}\n`);
});

for (const version of olderReleases) {
  test(`src/audit/schema/data/${basename(schemaFileOf(version))} is up to date with the k8s.io/kubernetes ${version} module`, () => {
    const { set, enumFields } = buildSchemaSet(version);
    assert.ok(enumFields > 40, 'enums read from the Go types');
    assert.equal(readFileSync(schemaFileOf(version), 'utf8'), `${JSON.stringify(set)}\n`);
  });
}

test('src/audit/schema/data/api-lifecycle.json is up to date with the Kubernetes sources', () => {
  const shipped = readFileSync(
    join(import.meta.dirname, '../../src/audit/schema/data/api-lifecycle.json'),
    'utf8',
  );
  const table = buildLifecycle();
  assert.equal(shipped, `${JSON.stringify(table, null, 1)}\n`);
  const byKey = new Map(table.apis.map((a) => [`${a.apiVersion} ${a.kind}`, a]));
  // Spot checks against the Kubernetes deprecation guide.
  assert.equal(byKey.get('extensions/v1beta1 Ingress')?.removed, '1.22');
  assert.equal(byKey.get('policy/v1beta1 PodDisruptionBudget')?.removed, '1.25');
  assert.equal(byKey.get('autoscaling/v2beta2 HorizontalPodAutoscaler')?.removed, '1.26');
  assert.equal(byKey.get('policy/v1beta1 PodSecurityPolicy')?.removed, '1.25');
});
