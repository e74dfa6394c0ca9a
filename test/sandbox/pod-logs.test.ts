// kwok's log simulation in the sandbox, read through berth's port: every fake container has a
// log (tail, previous run), and lines appended to it reach a follower.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { connectKube } from '../../src/kube/connect.ts';
import { appendPodLog } from '../../src/sandbox/pod-logs.ts';
import type { SandboxPaths } from '../../src/sandbox/paths.ts';
import { testKubeconfig, testNamespace, waitFor } from '../support/cluster.ts';

test('sandbox pod logs: read, previous and followed through the port', async (t) => {
  const kubeconfig = testKubeconfig();
  const runDir = dirname(kubeconfig);
  assert.ok(
    existsSync(join(runDir, 'pod-logs', 'container.log')),
    `this test needs a berth sandbox started with pod logs (npm test starts one), not ${kubeconfig}`,
  );
  const kube = await connectKube({ kubeconfig, env: {} });
  t.after(() => kube.close());
  const ns = await testNamespace(t, { prefix: 'h2-logs' });
  await kube.create(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'talker', namespace: ns },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry.example.com/talker:1',
            securityContext: { allowPrivilegeEscalation: false },
          },
        ],
      },
    },
    { fieldManager: 'berth-test' },
  );
  const pod = { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: 'talker' };
  await waitFor('the pod to run', async () => {
    const live = await kube.get(pod);
    return (live?.status as { phase?: string } | undefined)?.phase === 'Running' ? true : undefined;
  });
  const log = await kube.podLogs(pod, { container: 'app', deadline: Date.now() + 10_000 });
  assert.match(log, /^berth sandbox: container started\nlistening on :8080\nready\n/);
  const last = await kube.podLogs(pod, { container: 'app', tailLines: 1 });
  assert.equal(last.split('\n').length, 2, 'one line and its newline');
  const previous = await kube.podLogs(pod, { container: 'app', previous: true });
  assert.match(previous, /previous run/);
  const abort = new AbortController();
  const seen: string[] = [];
  const following = (async () => {
    for await (const line of kube.followLogs(pod, {
      container: 'app',
      tailLines: 0,
      signal: abort.signal,
    })) {
      seen.push(line);
      if (line.includes('hello from the test')) abort.abort();
    }
  })();
  await new Promise((r) => setTimeout(r, 500));
  await appendPodLog({ runDir } as SandboxPaths, ['hello from the test']);
  const timer = setTimeout(() => abort.abort(), 10_000);
  await following;
  clearTimeout(timer);
  assert.ok(
    seen.some((l) => l.includes('hello from the test')),
    `seen: ${seen.join(' | ')}`,
  );
});
