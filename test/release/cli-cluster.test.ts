// The release commands end to end on the sandbox, through the CLI: apply records a release, diff
// of an unchanged release exits 0, history, status (exit 1 naming a crash-looping pod), scale's
// single-writer guard, restart, logs, upgrade, rollback, and the lock seen by a second apply.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { acquireLock } from '../../src/release/adapters/lease.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { cleanUpAfter, renderExample, testClient, uniqueSuffix } from '../deploy/support.ts';

function writeObjects(objects: readonly KubeObject[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'berth-release-')), 'objects.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

async function berth(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, captured } = memoryIO();
  const code = await runCli([...argv, '--kubeconfig', testKubeconfig()], io);
  return { code, ...captured };
}

function withFault(objects: readonly KubeObject[], name: string): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Deployment' || o.metadata.name !== name) return o;
    const copy = structuredClone(o);
    const tpl = (copy.spec as { template: { metadata?: { annotations?: Record<string, string> } } })
      .template;
    tpl.metadata = {
      ...tpl.metadata,
      annotations: { ...tpl.metadata?.annotations, 'berth.dev/sandbox-fault': 'crash-loop' },
    };
    return copy;
  });
}

test('release CLI on the sandbox: apply, diff, history, status, scale guard, restart, upgrade, rollback, lock', async (t) => {
  const api = await testClient(t);
  const suffix = uniqueSuffix();
  const objects = await renderExample('openclaw-agents', suffix);
  cleanUpAfter(t, api, objects);
  const ns = `bots-${suffix}`;
  const rel = `oc-${suffix}`;
  const file = writeObjects(objects);
  const agent = objects.find((o) => o.kind === 'Deployment')?.metadata.name as string;

  const applied = await berth(
    'apply',
    file,
    '--release',
    rel,
    '-n',
    ns,
    '--wait',
    '--timeout',
    '3m',
  );
  assert.equal(applied.code, 0, applied.out + applied.err);
  assert.match(
    applied.out,
    new RegExp(`release ${rel} \\(namespace ${ns}\\): revision 1 deployed`),
  );

  const diff = await berth('diff', file, '--release', rel, '-n', ns);
  assert.equal(diff.code, 0, diff.out + diff.err);
  assert.match(diff.out, /0 to create, 0 to change, 0 to prune, 0 kept, \d+ unchanged\n$/);

  const status = await berth('status', rel, '-o', 'json');
  assert.equal(status.code, 0, status.out + status.err);
  const rows = (JSON.parse(status.out) as { workloads: { name: string; status: string }[] })
    .workloads;
  assert.ok(rows.some((r) => r.name === agent && r.status === 'Current'));

  const scale = await berth('scale', `${rel}/${agent}`, '--replicas', '2');
  assert.equal(scale.code, 2);
  assert.match(scale.err, /single-writer agent/);

  const restart = await berth('restart', `${rel}/${agent}`, '--wait', '--timeout', '2m');
  assert.equal(restart.code, 0, restart.out + restart.err);

  // The lock: held by someone else, a second apply waits up to its timeout and names the holder.
  const held = await acquireLock(
    api,
    { name: rel, namespace: ns },
    { operation: 'apply', deadline: Date.now() + 5000, identity: 'ana@laptop pid 1' },
  );
  const blocked = await berth('apply', file, '--release', rel, '-n', ns, '--timeout', '3s');
  await held.release();
  assert.equal(blocked.code, 1);
  assert.match(blocked.err, /locked by ana@laptop pid 1 \(apply\)/);

  const upgrade = await berth(
    'upgrade',
    `${rel}/${agent}`,
    '--image',
    'registry.example/agent:v2',
    '--wait',
    '--timeout',
    '2m',
  );
  assert.equal(upgrade.code, 0, upgrade.out + upgrade.err);

  // A crash-looping pod: apply --wait fails fast, status exits 1 and names the pod's reason.
  const broken = await berth(
    'apply',
    writeObjects(withFault(objects, agent)),
    '--release',
    rel,
    '-n',
    ns,
    '--wait',
    '--timeout',
    '1m',
  );
  assert.equal(broken.code, 1, broken.out);
  const sick = await berth('status', rel);
  assert.equal(sick.code, 1, sick.out);
  assert.match(sick.out, new RegExp(`${agent}.*CrashLoopBackOff`));

  const rollback = await berth('rollback', rel, '--to-revision', '1', '--wait', '--timeout', '2m');
  assert.equal(rollback.code, 0, rollback.out + rollback.err);
  assert.match(rollback.out, /restoring revision 1/);
  assert.equal((await berth('status', rel)).code, 0);

  const history = await berth('history', rel, '-o', 'json');
  assert.equal(history.code, 0, history.err);
  const revisions = (
    JSON.parse(history.out) as { revisions: { revision: number; status: string }[] }
  ).revisions;
  assert.deepEqual(
    revisions.map((r) => `${r.revision}:${r.status}`),
    ['1:superseded', '2:superseded', '3:failed', '4:deployed'],
  );
  const table = await berth('history', rel);
  assert.match(table.out, /^REVISION\s+UPDATED\s+STATUS/);
});

test('release CLI on the sandbox: two concurrent applies of one release never interleave', async (t) => {
  const api = await testClient(t);
  const suffix = uniqueSuffix();
  const objects = await renderExample('openclaw-agents', suffix);
  cleanUpAfter(t, api, objects);
  const ns = `bots-${suffix}`;
  const rel = `oc-${suffix}`;
  const file = writeObjects(objects);
  const [a, b] = await Promise.all([
    berth('apply', file, '--release', rel, '-n', ns, '--wait', '--timeout', '3m'),
    berth('apply', file, '--release', rel, '-n', ns, '--wait', '--timeout', '3m'),
  ]);
  assert.equal(a.code, 0, a.out + a.err);
  assert.equal(b.code, 0, b.out + b.err);
  assert.match(
    a.err + b.err,
    /is locked by .* \(apply\); waiting for it/,
    'one waited for the other',
  );
  const revs = [a.out, b.out].map((o) => /revision (\d+) deployed/.exec(o)?.[1]).sort();
  assert.deepEqual(revs, ['1', '2']);
});
