// Acceptance: berth's own rendered output of every example audits clean, and rendered objects are
// reported at the spec document of their component.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

test('a finding on a rendered object is reported at its spec document, and --fix leaves the spec alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-spec-audit-'));
  try {
    await cp(join(root, 'examples', 'platform-engineer'), dir, { recursive: true });
    const agent = join(dir, 'hermes.yaml');
    const original = (await readFile(agent, 'utf8')).replace(
      '  image: git.rogi.casa/roger/hermes-agent:v1.35-3f9c2a1\n',
      '  image: git.rogi.casa/roger/hermes-agent:latest\n  allowMutableTag: true\n',
    );
    await writeFile(agent, original);
    const nameLine = original.split('\n').findIndex((l) => l === '  name: hermes') + 1;
    const outcome = await audit({
      paths: ['.'],
      cwd: dir,
      readStdin: () => Promise.resolve(''),
      fix: true,
      today: '2026-01-01',
      version: 'test',
    });
    const finding = outcome.findings.find((f) => f.check === 'image-tag');
    assert.ok(finding, 'the mutable tag is found in the rendered Deployment');
    assert.equal(finding.file, 'hermes.yaml');
    assert.equal(finding.line, nameLine);
    assert.equal(finding.object?.kind, 'Deployment');
    assert.equal(finding.fixable, false);
    assert.equal(await readFile(agent, 'utf8'), original, 'specs are not edited by --fix');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
