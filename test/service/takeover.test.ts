// Two service processes against the test cluster under a ServiceAccount with only what it needs:
// one leads; SIGKILL it and the other leads within 20 s; SIGTERM of a leader hands the lease back
// at once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { kubeconfigFile } from '../watchdog/support.ts';
import { serviceAccountKubeConfig, testKubeConfig } from '../support/cluster.ts';

const script = join(import.meta.dirname, 'elect-process.ts');

function start(identity: string, ns: string, kubeconfig: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, identity, ns, kubeconfig], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.stdout
    .setEncoding('utf8')
    .on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  child.stderr.resume();
  return { child, lines, identity };
}

async function until<T>(what: string, fn: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const leaderLine = (p: { lines: string[] }) => p.lines.find((l) => l.startsWith('leader '));

test(
  'two processes: SIGKILL the leader, the other takes over within 20 s',
  { timeout: 90_000 },
  async (t) => {
    const ns = `service-elect-${process.pid}`;
    const kc = testKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const children: ChildProcess[] = [];
    t.after(async () => {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await core.deleteNamespace({ name: ns }).catch(() => undefined);
    });
    await rbac.createNamespacedRole({
      namespace: ns,
      body: {
        metadata: { name: 'berth-service' },
        rules: [
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            verbs: ['get', 'create', 'patch'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'berth-service' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'berth-service' },
        subjects: [{ kind: 'ServiceAccount', name: 'berth', namespace: ns }],
      },
    });
    const kubeconfig = await kubeconfigFile(await serviceAccountKubeConfig(ns, 'berth'));
    const a = start('a', ns, kubeconfig);
    const b = start('b', ns, kubeconfig);
    children.push(a.child, b.child);
    const first = await until(
      'a first leader',
      () => (leaderLine(a) ? a : leaderLine(b) ? b : undefined),
      30_000,
    );
    const other = first === a ? b : a;
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(leaderLine(other), undefined, 'exactly one leader');
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    const line = await until('takeover', () => leaderLine(other), 25_000);
    const took = Number(line.split(' ')[2]) - killedAt;
    t.diagnostic(`takeover after SIGKILL: ${took} ms`);
    assert.ok(took < 20_000, `${took} ms`);
    // SIGTERM hands the lease back: a new process leads at once.
    other.child.kill('SIGTERM');
    await until('exit', () => (other.child.exitCode !== null ? true : undefined), 10_000);
    const c = start('c', ns, kubeconfig);
    children.push(c.child);
    const started = Date.now();
    const cl = await until('c leads', () => leaderLine(c), 15_000);
    t.diagnostic(
      `leader after SIGTERM hand-back: ${Number(cl.split(' ')[2]) - started} ms (incl. start)`,
    );
  },
);
