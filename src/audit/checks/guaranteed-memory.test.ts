import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../audit.ts';

const dir = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test',
  'audit',
  'fixtures',
  'checks',
  'guaranteed-memory',
);

async function messages(entry: string): Promise<string[]> {
  const outcome = await audit({
    paths: [entry],
    cwd: dir,
    readStdin: () => Promise.resolve(''),
    include: ['guaranteed-memory'],
    today: '2026-01-01',
    version: 'test',
  });
  return outcome.findings.map((f) => `${f.line} ${f.message}`);
}

test('pinned CPU or the annotation make memory requests != limits a finding', async () => {
  assert.deepEqual(await messages('fail.yaml'), [
    '19 Deployment shop/api container "api" requests 256Mi of memory but limits it to 512Mi, so the pod is not Guaranteed',
    '43 Job shop/migrate container "migrate" sets no limits.memory, so the pod is not Guaranteed',
  ]);
});

test('equal by value, defaulted requests, unpinned CPU and an explicit Burstable pass', async () => {
  assert.deepEqual(await messages('pass.yaml'), []);
});
