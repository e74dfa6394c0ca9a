// A sandbox that cannot start fails with the component, its log file and the log's last lines,
// and leaves no process behind. The API server here is a stand-in that exits with an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { programs } from '../../src/sandbox/binaries.ts';
import { sandboxStatus, startSandbox, stopSandbox } from '../../src/sandbox/index.ts';
import { sandboxPaths } from '../../src/sandbox/paths.ts';
import { sandboxVersions } from '../../src/sandbox/versions.ts';

test('a component that fails to start is named with its log, and nothing is left running', async (t) => {
  const realBin = sandboxPaths({
    name: 'default',
    kubernetesVersion: sandboxVersions().kubernetes,
    env: process.env,
  }).binDir;
  const root = mkdtempSync(join(tmpdir(), 'berth-sandbox-fail-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const env = {
    ...process.env,
    BERTH_SANDBOX_CACHE: join(root, 'cache'),
    BERTH_SANDBOX_STATE: join(root, 'state'),
  };
  const bin = sandboxPaths({
    name: 'broken',
    kubernetesVersion: sandboxVersions().kubernetes,
    env,
  }).binDir;
  mkdirSync(bin, { recursive: true });
  for (const program of programs)
    if (program !== 'kube-apiserver') symlinkSync(join(realBin, program), join(bin, program));
  writeFileSync(
    join(bin, 'kube-apiserver'),
    '#!/bin/sh\necho "E0101 invalid flag: the stand-in API server refuses to start" >&2\nexit 1\n',
  );
  chmodSync(join(bin, 'kube-apiserver'), 0o755);
  writeFileSync(join(bin, '.complete'), 'test\n');

  const options = { name: 'broken', env, build: false, timeoutMs: 30_000 };
  await assert.rejects(startSandbox(options), (error: unknown) => {
    const message = (error as Error).message;
    assert.match(message, /sandbox component kube-apiserver exited during start/);
    assert.match(message, /\(log: .*\/state\/broken\/logs\/kube-apiserver\.log\)/);
    assert.match(message, /the stand-in API server refuses to start/);
    return true;
  });
  const status = await sandboxStatus(options);
  assert.equal(status.running, false);
  assert.ok(
    status.components.every((c) => c.state === 'stopped'),
    'etcd, started before the API server, was stopped again',
  );
  await stopSandbox({ ...options, purge: true });
});

test('missing programs and build disabled: the error says how to build', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'berth-sandbox-nobuild-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const env = {
    ...process.env,
    BERTH_SANDBOX_CACHE: join(root, 'cache'),
    BERTH_SANDBOX_STATE: join(root, 'state'),
  };
  await assert.rejects(
    startSandbox({ name: 'unbuilt', env, build: false }),
    /not built .*run: bash sandbox\/build\.sh/,
  );
});
