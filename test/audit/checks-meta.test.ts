// Meta-tests over the check registry: every check has an id, docs, a one-sentence remediation,
// and pass and fail fixtures that behave (the fail fixture fires the check, the pass one does not).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../src/audit/audit.ts';
import { checks } from '../../src/audit/checks/index.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'checks');

async function findingsOf(id: string, entry: string): Promise<string[]> {
  const dir = join(fixtures, id);
  const outcome = await audit({
    paths: [entry],
    cwd: dir,
    readStdin: () => Promise.resolve(''),
    include: [id],
    today: '2026-01-01',
    version: 'test',
  });
  return outcome.findings
    .filter((f) => f.check === id)
    .map((f) => `${f.file}:${f.line} ${f.message}`);
}

test('check ids are unique and kebab-case', () => {
  const ids = checks.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
});

for (const check of checks) {
  test(`${check.id}: docs, summary and a one-sentence remediation`, () => {
    assert.ok(check.docs.trim().length >= 80, 'docs of at least a few sentences');
    assert.ok(check.summary.trim().length > 10, 'a summary');
    assert.match(check.remediation, /^[A-Z].*\.$/s, 'remediation is a sentence');
    assert.ok(!check.remediation.includes('\n'), 'remediation is one line');
    assert.equal(check.remediation.split(/\.\s+[A-Z]/).length, 1, 'remediation is one sentence');
  });

  test(`${check.id}: fail fixture fires, pass fixture does not`, async () => {
    const entries = readdirSync(join(fixtures, check.id));
    const fail = entries.find((e) => e.startsWith('fail'));
    const pass = entries.find((e) => e.startsWith('pass'));
    assert.ok(fail, `test/audit/fixtures/checks/${check.id}/fail* exists`);
    assert.ok(pass, `test/audit/fixtures/checks/${check.id}/pass* exists`);
    const failed = await findingsOf(check.id, fail);
    assert.ok(failed.length > 0, `${fail} fires ${check.id}`);
    assert.deepEqual(await findingsOf(check.id, pass), [], `${pass} passes ${check.id}`);
  });
}
