// A malformed label selector is never read as "select everything": the Service, NetworkPolicy,
// PodDisruptionBudget and workload checks all see it select no pod, and invalid-selector or
// schema-validation says what is wrong with it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../src/audit/audit.ts';

const dir = join(import.meta.dirname, 'fixtures', 'selectors');

async function findings(entry: string, include: string[]): Promise<string[]> {
  const outcome = await audit({
    paths: [entry],
    cwd: dir,
    readStdin: () => Promise.resolve(''),
    include,
    today: '2026-01-01',
    version: 'test',
  });
  return outcome.findings.map((f) => `${f.check} ${f.line} ${f.message}`).sort();
}

test('invalid-selector and schema-validation name every malformed selector with its line', async () => {
  const got = await findings('malformed.yaml', ['invalid-selector', 'schema-validation']);
  const checks = got.map((line) => line.split(' ').slice(0, 2).join(' '));
  assert.deepEqual(
    checks,
    ['invalid-selector 31', 'invalid-selector 50', 'invalid-selector 65', 'schema-validation 74'],
    got.join('\n'),
  );
  assert.match(got[0] ?? '', /matchExpressions\[0\]\.operator "Equals" is not one of In/);
  assert.match(got[1] ?? '', /must not be empty for In/);
  assert.match(got[2] ?? '', /must be empty for Exists/);
});

test('a malformed NetworkPolicy podSelector covers no pod and is not called dangling', async () => {
  const got = await findings('malformed.yaml', [
    'network-policy-coverage',
    'dangling-network-policy',
  ]);
  assert.ok(got.length > 0, 'the workload is still reported as uncovered');
  assert.ok(
    got.every((f) => f.startsWith('network-policy-coverage ')),
    got.join('\n'),
  );
  assert.ok(
    got.some((f) => /web/.test(f)),
    got.join('\n'),
  );
});

test('a malformed PodDisruptionBudget selector protects nothing and blocks nothing', async () => {
  const got = await findings('malformed.yaml', ['pdb-missing', 'pdb-blocks-eviction']);
  assert.deepEqual(
    got.map((f) => f.split(' ').slice(0, 4).join(' ')),
    ['pdb-missing 27 Deployment shop/worker', 'pdb-missing 8 Deployment shop/web'],
  );
});

test('a malformed Service selector fronts no pod: no dangling-service, target-port or probe findings from it', async () => {
  const got = await findings('malformed.yaml', [
    'dangling-service',
    'service-target-port',
    'readiness-probe',
    'liveness-probe',
  ]);
  assert.deepEqual(got, []);
});

test('a malformed workload selector is not a selector mismatch (invalid-selector reports it)', async () => {
  assert.deepEqual(await findings('malformed.yaml', ['selector-mismatch']), []);
});

test('the same objects with well-formed selectors select the workload', async () => {
  const got = await findings('valid.yaml', [
    'invalid-selector',
    'network-policy-coverage',
    'dangling-network-policy',
    'pdb-missing',
    'pdb-blocks-eviction',
    'dangling-service',
    'selector-mismatch',
  ]);
  // web is now covered by the policy and the PDB (whose minAvailable 2 of 2 pods blocks eviction);
  // worker, which no well-formed selector names, is still uncovered.
  assert.deepEqual(
    got.map((f) => f.split(' ').slice(0, 4).join(' ')),
    [
      'network-policy-coverage 23 Deployment shop/worker',
      'pdb-blocks-eviction 61 PodDisruptionBudget shop/web',
      'pdb-missing 27 Deployment shop/worker',
    ],
    got.join('\n'),
  );
});
