// Acceptance (issue 11 §4): berth's own rendered service passes `berth audit` with zero findings:
// the platform-engineer example (the watchdog beside Hermes), and a workspace where the service
// runs the autoscaler too (one identity).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../src/audit/audit.ts';
import { root } from './examples.ts';
import { platformDoc, poolDocs, watchdogDoc } from './service-support.ts';

async function auditPath(path: string, cwd: string) {
  return audit({
    paths: [path],
    cwd,
    readStdin: () => Promise.resolve(''),
    today: '2026-01-01',
    version: 'test',
  });
}

const findingsOf = (o: Awaited<ReturnType<typeof auditPath>>) =>
  o.findings.map((f) => `${f.file}:${f.line} ${f.check}: ${f.message}`);

test('audit: examples/platform-engineer with berth’s service has zero findings', async () => {
  const outcome = await auditPath(join('examples', 'platform-engineer'), root);
  assert.deepEqual(findingsOf(outcome), []);
  assert.equal(outcome.exit, 0);
  assert.ok(outcome.summary.objects >= 30, `${outcome.summary.objects} objects audited`);
});

test('audit: a service that runs the watchdog and the autoscaler has zero findings', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-service-audit-'));
  try {
    await writeFile(
      join(dir, 'berth.yaml'),
      platformDoc +
        poolDocs +
        watchdogDoc({
          actions: ['rollout-restart', 'delete-pod', 'scale', 'delete-job'],
          extra: `  llm: { baseURL: 'https://llm.example.org/v1', model: m, apiKey: { secret: berth-env, key: K } }\n`,
        }),
    );
    const outcome = await auditPath('.', dir);
    assert.deepEqual(findingsOf(outcome), []);
    assert.equal(outcome.exit, 0);
    assert.ok(outcome.summary.objects > 20);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('audit: a finding in the service is placed at the Watchdog document', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-service-audit-'));
  try {
    const text =
      platformDoc +
      watchdogDoc({
        service: `    image: registry.example/berth:latest\n    allowMutableTag: true\n    dashboard: { authSecret: berth-dashboard }\n`,
      });
    await writeFile(join(dir, 'berth.yaml'), text);
    const outcome = await auditPath('.', dir);
    const f = outcome.findings.find((x) => x.check === 'image-tag');
    assert.ok(f, findingsOf(outcome).join('\n'));
    const nameLine = text.split('\n').findIndex((l) => l === 'metadata: { name: berth }') + 1;
    assert.equal(`${f.file}:${f.line}`, `berth.yaml:${nameLine}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
