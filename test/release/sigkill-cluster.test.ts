// Acceptance (issue 7 §7): berth killed with SIGKILL during apply and during rollback, at several
// points: the next run converges (it waits out the dead holder's lease), leaves no orphan (what the
// killed run created but the next one does not declare is pruned) and no stuck lock.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { leaseRef } from '../../src/release/adapters/lease.ts';
import { listMembers, readParent, extentOf } from '../../src/release/adapters/members.ts';
import { keyOf, toRef } from '../../src/release/inventory.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { cleanUpAfter, renderExample, testClient, uniqueSuffix } from '../deploy/support.ts';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'berth.js');

function writeObjects(objects: readonly KubeObject[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'berth-kill-')), 'objects.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

/**
 * Runs berth in a child process and kills it with SIGKILL `ms` after it holds the release lock
 * (`locked` says so; polled once berth prints its first line), so every kill hits a held lock
 * however slow the machine is.
 */
async function killedAfter(
  ms: number,
  argv: string[],
  locked: () => Promise<boolean>,
): Promise<void> {
  const child = spawn(process.execPath, [bin, ...argv, '--kubeconfig', testKubeconfig()], {
    env: { ...process.env, BERTH_FROM_SOURCE: '1' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await Promise.race([
    new Promise((resolve) => child.stdout.once('data', resolve)),
    exited,
    sleep(20_000),
  ]);
  for (let i = 0; i < 200 && child.exitCode === null && !(await locked()); i++) await sleep(25);
  await sleep(ms);
  child.kill('SIGKILL');
  await exited;
}

async function berth(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, captured } = memoryIO();
  const code = await runCli([...argv, '--kubeconfig', testKubeconfig()], io);
  return { code, ...captured };
}

test('release on the sandbox: SIGKILL during apply and rollback leaves no orphan and no stuck lock', async (t) => {
  const api = await testClient(t);
  const suffix = uniqueSuffix();
  const objects = await renderExample('openclaw-agents', suffix);
  cleanUpAfter(t, api, objects);
  const ns = `bots-${suffix}`;
  const release = { name: `oc-${suffix}`, namespace: ns };
  const extra: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'only-in-the-killed-run', namespace: ns },
    data: { a: '1' },
  };
  const base = writeObjects(objects);
  const withExtra = writeObjects([...objects, extra]);
  const flags = ['--release', release.name, '-n', ns];

  const holdsLock = async () => (await api.get(leaseRef(release))) !== undefined;
  let tookOver = 0;
  const first = await berth('apply', base, ...flags, '--wait', '--timeout', '3m');
  assert.equal(first.code, 0, first.out + first.err);

  for (const [i, ms] of [100, 400, 1000].entries()) {
    await killedAfter(ms, ['apply', withExtra, ...flags, '--wait'], holdsLock);
    const next = await berth('apply', base, ...flags, '--wait', '--timeout', '2m');
    assert.equal(next.code, 0, `after a kill at ${ms} ms: ${next.out}${next.err}`);
    if (/took over the expired lock/.test(next.err)) tookOver++;
    await assertConverged(`apply kill ${i + 1}`);
  }
  await berth('apply', withExtra, ...flags, '--wait', '--timeout', '2m');
  for (const ms of [100, 600]) {
    await killedAfter(ms, ['rollback', release.name, '-n', ns, '--wait'], holdsLock);
    const next = await berth('apply', base, ...flags, '--wait', '--timeout', '2m');
    assert.equal(next.code, 0, `after a rollback kill at ${ms} ms: ${next.out}${next.err}`);
    if (/took over the expired lock/.test(next.err)) tookOver++;
    await assertConverged(`rollback kill at ${ms} ms`);
  }

  assert.ok(
    tookOver >= 2,
    `the kills hit a held lock (${tookOver} take-overs of a dead holder's lock)`,
  );
  t.diagnostic(`${tookOver} of 5 kills left a lock that the next run took over once it expired`);

  async function assertConverged(when: string): Promise<void> {
    assert.equal(await api.get(leaseRef(release)), undefined, `${when}: no lock left`);
    const extent = extentOf([...objects, extra], await readParent(api, release));
    const members = (await listMembers(api, release, extent)).map(keyOf).sort();
    const wanted = objects.map((o) => keyOf(toRef(o))).sort();
    assert.deepEqual(
      members.filter((m) => !wanted.includes(m)),
      [],
      `${when}: no orphan`,
    );
    assert.equal(
      await api.get(toRef(extra)),
      undefined,
      `${when}: the killed run's extra object is gone`,
    );
    const diff = await berth('diff', base, ...flags);
    assert.equal(diff.code, 0, `${when}: converged, diff is empty:\n${diff.out}`);
  }
});
