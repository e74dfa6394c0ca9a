// berth's own Dockerfile: `berth audit` finds nothing, and it keeps the properties issue 11 asks
// for (multi-stage, fixed non-root UID, exec-form entrypoint, no HEALTHCHECK, caches cleaned,
// production dependencies only in the final image).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';

const path = join(import.meta.dirname, '..', '..', 'Dockerfile');

test('berth audit of the root Dockerfile: zero findings, exit 0', async () => {
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['audit', path, '--format', 'json'], io), 0, captured.err);
  const report = JSON.parse(captured.out) as { findings?: unknown[] };
  assert.deepEqual(report.findings, []);
});

test('the Dockerfile keeps its hardening properties', async () => {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const froms = lines.filter((l) => l.startsWith('FROM '));
  assert.ok(froms.length >= 2, 'multi-stage');
  const final = lines.slice(lines.lastIndexOf(froms.at(-1)!));
  const user = final.find((l) => l.startsWith('USER '));
  assert.match(user ?? '', /^USER [1-9]\d{3,}:[1-9]\d{3,}$/, 'fixed numeric non-root UID:GID');
  assert.match(final.find((l) => l.startsWith('ENTRYPOINT ')) ?? '', /^ENTRYPOINT \[".*"\]$/);
  assert.ok(!/^HEALTHCHECK/m.test(text));
  assert.ok(/npm ci --omit=dev/.test(text) && /npm cache clean --force/.test(text));
  assert.ok(
    !final.some((l) => /^RUN .*npm (ci|install)(?!.*--omit=dev)/.test(l)),
    'no dev deps in the final stage',
  );
});
