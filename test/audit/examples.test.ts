// Acceptance: berth's own rendered output of every example audits clean, and rendered objects are
// reported at the spec document of their component.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectInputs } from '../../src/audit/adapters/inputs.ts';
import { audit } from '../../src/audit/audit.ts';

const root = join(import.meta.dirname, '..', '..');
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

test('there are four examples', () => {
  assert.deepEqual(examples.sort(), ['archon', 'openclaw-agents', 'platform-engineer', 'vapora']);
});

for (const example of examples) {
  test(`examples/${example}: the rendered output has zero findings`, async () => {
    const outcome = await audit({
      paths: [join('examples', example)],
      cwd: root,
      readStdin: () => Promise.resolve(''),
      today: '2026-01-01',
      version: 'test',
    });
    assert.ok(outcome.summary.objects > 10, 'the spec was rendered');
    assert.deepEqual(
      outcome.findings.map((f) => `${f.file}:${f.line} ${f.check}: ${f.message}`),
      [],
    );
    assert.equal(outcome.exit, 0);
  });
}

test('rendered objects are located at their component spec document', async () => {
  const input = await collectInputs(['examples/archon'], {
    cwd: root,
    readStdin: () => Promise.resolve(''),
  });
  const server = input.objects.find(
    (o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'archon-server',
  );
  assert.ok(server, 'the server Deployment is rendered');
  assert.equal(server.origin, 'rendered');
  assert.equal(server.file, 'examples/archon/server.yaml');
  assert.equal(
    server.lineOf(['spec', 'template']),
    5,
    'the metadata.name line of the spec document',
  );
  assert.ok(input.objects.every((o) => o.file.startsWith('examples/archon/')));
});
