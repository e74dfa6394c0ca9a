// The sandbox's own lifecycle, on a second sandbox beside the one the tests use: `up` is
// idempotent, `status` reports each component, `down` leaves no process behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import {
  sandboxKubeconfigPath,
  sandboxStatus,
  startSandbox,
  stopSandbox,
} from '../../src/sandbox/index.ts';
import { sandboxPaths } from '../../src/sandbox/paths.ts';
import { sandboxVersions } from '../../src/sandbox/versions.ts';

/** Pids of processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return found;
}

test(
  'sandbox lifecycle: up, up again, status, down leaves no process',
  { timeout: 240_000 },
  async () => {
    const name = `lifecycle-${process.pid}`;
    const options = { name, build: false };
    const runDir = sandboxPaths({
      name,
      kubernetesVersion: sandboxVersions().kubernetes,
      env: process.env,
    }).runDir;
    try {
      const first = await startSandbox({ ...options, timeoutMs: 180_000 });
      assert.equal(first.started, true);
      assert.equal(first.kubeconfig, sandboxKubeconfigPath({ name }));
      assert.ok(first.elapsedMs < 60_000, `start took ${first.elapsedMs} ms`);

      const second = await startSandbox(options);
      assert.equal(second.started, false, 'a running sandbox is not started again');

      const status = await sandboxStatus({ name });
      assert.equal(status.running, true);
      assert.deepEqual(
        status.components.map((c) => `${c.component}:${c.state}`),
        [
          'etcd',
          'kube-apiserver',
          'kube-controller-manager',
          'kube-scheduler',
          'kwok',
          'provisioner',
          'metrics-server',
        ].map((c) => `${c}:running`),
      );
      for (const c of status.components)
        assert.match(c.endpoint ?? '', /^https?:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(processesMentioning(runDir).length >= 7, 'the processes run from the run folder');
    } finally {
      await stopSandbox({ name, purge: true });
    }
    assert.deepEqual(processesMentioning(runDir), [], 'no process of the sandbox is left');
    const after = await sandboxStatus({ name });
    assert.equal(after.running, false);
    assert.ok(after.components.every((c) => c.state === 'stopped'));
  },
);
