// `berth logs` on the sandbox's simulated pod logs (kwok ClusterLogs, src/sandbox/pod-logs.ts):
// every pod and container of a component, prefixed; -f follows new lines and the pods that
// replace the old ones after a restart.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { appendPodLog } from '../../src/sandbox/pod-logs.ts';
import type { SandboxPaths } from '../../src/sandbox/paths.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { cleanUpAfter, testClient, uniqueSuffix } from '../deploy/support.ts';

async function berth(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, captured } = memoryIO();
  const code = await runCli([...argv, '--kubeconfig', testKubeconfig()], io);
  return { code, ...captured };
}

test('berth logs on the sandbox: every pod, prefixed; -f follows new lines and replaced pods', async (t) => {
  const runDir = dirname(testKubeconfig());
  assert.ok(
    existsSync(join(runDir, 'pod-logs', 'container.log')),
    `this test needs a berth sandbox started with pod logs (npm test starts one), not ${testKubeconfig()}`,
  );
  const api = await testClient(t);
  const ns = `release-logs-${uniqueSuffix()}`;
  const labels = { 'app.kubernetes.io/name': 'web', 'berth.dev/component': 'web' };
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'registry.example.com/web:1' }] },
        },
      },
    },
  ];
  cleanUpAfter(t, api, objects);
  const file = join(mkdtempSync(join(tmpdir(), 'berth-logs-')), 'web.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  const rel = `logs-${ns.slice(-7)}`;
  const applied = await berth(
    'apply',
    file,
    '--release',
    rel,
    '-n',
    ns,
    '--wait',
    '--timeout',
    '2m',
  );
  assert.equal(applied.code, 0, applied.out + applied.err);

  const tail = await berth('logs', `${rel}/web`, '--tail', '1');
  assert.equal(tail.code, 0, tail.err);
  const prefixes = new Set(
    tail.out
      .trim()
      .split('\n')
      .map((l) => /^\[([^\]]+)\]/.exec(l)?.[1]),
  );
  assert.equal(prefixes.size, 2, `one line from each of the two pods:\n${tail.out}`);
  for (const p of prefixes) assert.match(p ?? '', /^web-[a-z0-9]+-[a-z0-9]+\/app$/);

  const following = berth('logs', `${rel}/web`, '-f', '--tail', '0', '--timeout', '20s');
  await sleep(2000);
  await appendPodLog({ runDir } as SandboxPaths, ['hello from the test']);
  const restarted = await berth('restart', `${rel}/web`, '--wait', '--timeout', '1m');
  assert.equal(restarted.code, 0, restarted.out + restarted.err);
  await sleep(3000);
  await appendPodLog({ runDir } as SandboxPaths, ['after the restart']);
  const followed = await following;
  assert.equal(followed.code, 0, followed.err);
  assert.match(followed.out, /\] hello from the test$/m);
  const after = followed.out.split('\n').filter((l) => l.endsWith('after the restart'));
  const newPods = new Set(after.map((l) => /^\[([^/]+)/.exec(l)?.[1]));
  const oldPods = new Set([...prefixes].map((p) => p?.split('/')[0]));
  assert.ok(
    [...newPods].some((p) => p && !oldPods.has(p)),
    `a replacement pod is followed:\n${followed.out}`,
  );
});
