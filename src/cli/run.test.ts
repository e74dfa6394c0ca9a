import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './run.ts';
import { memoryIO } from './test-io.ts';

test('--help exits 0 and lists the program', async () => {
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['--help'], io), 0);
  assert.match(captured.out, /Usage: berth/);
});

test('an unknown command is a usage error (exit 2)', async () => {
  const { io, captured } = memoryIO();
  assert.equal(await runCli(['no-such-command'], io), 2);
  assert.match(captured.err, /^error: /);
});
