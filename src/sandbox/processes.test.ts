import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupMembers, isRunning, startProcess, stopProcess } from './processes.ts';

test('stopProcess stops the process and its children (its whole group)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-proc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const logFile = join(dir, 'log');
  // A parent that ignores SIGTERM and a child that does not: SIGKILL must follow.
  const record = startProcess({
    command: '/bin/sh',
    args: ['-c', 'trap "" TERM; sleep 300 & echo started; wait'],
    logFile,
  });
  const deadline = Date.now() + 5_000;
  while (groupMembers(record.pid).length < 2 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(isRunning(record));
  assert.equal(groupMembers(record.pid).length, 2, 'shell and sleep in one group');

  assert.equal(await stopProcess(record, 300), true);
  assert.equal(isRunning(record), false);
  assert.deepEqual(groupMembers(record.pid), []);
  assert.match(readFileSync(logFile, 'utf8'), /started/);
  assert.equal(await stopProcess(record, 300), false, 'stopping again is a no-op');
});

test('isRunning does not trust a pid that now runs another program', () => {
  assert.equal(isRunning({ pid: process.pid, command: '/usr/bin/etcd' }), false);
  assert.equal(isRunning({ pid: process.pid, command: process.execPath }), true);
});
