// --kube-version selects the shipped schema schema-validation validates against, not only the
// API lifecycle table: fields added after the target are unknown, kinds removed since are known.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { schemaFileFor, shippedSchemas } from '../../src/audit/adapters/schemas.ts';
import { audit } from '../../src/audit/audit.ts';

const dir = join(import.meta.dirname, 'fixtures', 'kube-version');

async function findings(kubeVersion?: string): Promise<string[]> {
  const outcome = await audit({
    paths: ['objects.yaml'],
    cwd: dir,
    readStdin: () => Promise.resolve(''),
    include: ['schema-validation'],
    today: '2026-01-01',
    version: 'test',
    ...(kubeVersion ? { kubeVersion } : {}),
  });
  return outcome.findings.map((f) => `${f.line} ${f.message}`);
}

test('the schema file for each target: the oldest shipped release at or above it', () => {
  const table: [number | undefined, string][] = [
    [undefined, 'kubernetes.json'],
    [37, 'kubernetes.json'],
    [36, 'kubernetes.json'],
    [32, 'kubernetes.json'],
    [31, 'kubernetes-1.31.json'],
    [25, 'kubernetes-1.31.json'],
    [24, 'kubernetes-1.24.json'],
    [19, 'kubernetes-1.24.json'],
  ];
  for (const [minor, file] of table) assert.equal(schemaFileFor(minor), file, String(minor));
});

test('the shipped files are the releases they claim', async () => {
  assert.equal((await shippedSchemas()).source, 'Kubernetes v1.36.3');
  assert.equal((await shippedSchemas(30)).source, 'Kubernetes v1.31.14');
  assert.equal((await shippedSchemas(24)).source, 'Kubernetes v1.24.17');
});

test('a 1.24 target: hostUsers is unknown and the PodSecurityPolicy is validated', async () => {
  const got = await findings('1.24');
  assert.equal(got.length, 2, got.join('\n'));
  assert.match(got[0] ?? '', /^16 .*unknown field "hostUsers"/);
  assert.match(got[1] ?? '', /^36 .*unknown field "volumez"/);
});

test('1.30 and the pinned release know hostUsers and have no PodSecurityPolicy schema', async () => {
  assert.deepEqual(await findings('1.30'), []);
  assert.deepEqual(await findings(), []);
});
