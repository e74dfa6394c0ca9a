// Acceptance of `berth serve` on the test cluster (issue 11 §5), as local processes:
// - the self-audit refuses a ServiceAccount bound to cluster-admin, and starts with the identity
//   berth renders for its service (its token; the rendered spec.yaml);
// - two replicas, an incident injected (a crash-looping Deployment), the leader restarts it and
//   is SIGKILLed while verifying: the other takes over within 20 s, the restart is not done again
//   (ledger and the API server's audit log), and exactly one message reaches the fake Discord.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { applyObjects, testKubeConfig } from '../support/cluster.ts';
import { startFakeChat } from '../support/fake-chat.ts';
import { renderedService } from './acceptance-support.ts';
import { deployment } from '../watchdog/support.ts';
import {
  auditedWrites,
  auditLog,
  auditOffset,
  serveNamespaces,
  startServe,
  tokenKubeconfig,
  until,
  watchdogFolder,
  type ServeProcess,
} from './serve-support.ts';

const watchdogYaml = (svc: string, app: string) => `apiVersion: berth.dev/v1alpha1
kind: Watchdog
metadata: { name: serve-acceptance }
spec:
  namespaces: { include: [${app}] }
  actions:
    - action: rollout-restart
      detectors: [pod-restart-loop]
      transientOnly: false
  verifyTimeout: 20s
  ledgerNamespace: ${svc}
  notify:
    - { type: discord }
`;

interface LedgerEntry {
  id: string;
  status: string;
  incident: string;
  action: { action: string; target: { name: string } };
}

test(
  'self-audit: a ServiceAccount bound to cluster-admin is refused',
  { timeout: 60_000 },
  async (t) => {
    const { svc, app, create } = await serveNamespaces(t, 'serve-audit');
    await create([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${svc}-admin` },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'cluster-admin',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'admin', namespace: svc }],
      },
    ]);
    const dir = await watchdogFolder(watchdogYaml(svc, app));
    const p = startServe({
      identity: 'admin',
      dir,
      kubeconfig: await tokenKubeconfig(svc, 'admin'),
      namespace: svc,
      env: { DISCORD_WEBHOOK_URL: 'http://127.0.0.1:9/never' },
    });
    t.after(() => p.child.kill('SIGKILL'));
    const code = await p.exited();
    const err = p.lines.join('\n');
    assert.equal(code, 1, err);
    assert.match(err, /refusing to start: this identity can do more than berth needs/);
    assert.doesNotMatch(err, /internal error|bug in berth/, 'a setup problem, not a bug');
    for (const id of ['wildcard-verb', 'secrets-write', 'rbac-write', 'cluster-scoped-write'])
      assert.match(err, new RegExp(`${id}: `));
    assert.equal(p.url(), undefined, 'no HTTP server was started');
  },
);

test(
  'two replicas: SIGKILL of the leader while it verifies a restart; takeover < 20 s, nothing twice',
  { timeout: 150_000 },
  async (t) => {
    // The identity berth renders for its service (ServiceAccount, generated roles, Lease) and
    // the rendered spec.yaml, as the Deployment would run it (acceptance-support.ts).
    const service = await renderedService(t, {
      prefix: 'bt-serve-ha',
      scenarios: ['app'],
      watchdog: (include) => `  namespaces: { include: ${include} }
  actions:
    - { action: rollout-restart, detectors: [pod-restart-loop], transientOnly: false }
  verifyTimeout: 20s`,
    });
    const [svc, app, dir] = [service.svc, service.ns.app!, service.specFile];
    const core = testKubeConfig().makeApiClient(CoreV1Api);
    const chat = await startFakeChat();
    t.after(() => chat.close());
    const kubeconfig = await tokenKubeconfig(svc, 'berth');
    const env = { DISCORD_WEBHOOK_URL: chat.discordWebhookUrl };
    const procs: ServeProcess[] = [];
    t.after(() => {
      for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    });
    for (const identity of ['a', 'b'])
      procs.push(startServe({ identity, dir, kubeconfig, namespace: svc, env }));
    const [a, b] = procs as [ServeProcess, ServeProcess];
    // Started with the generated roles (no excess), both ready.
    for (const p of procs) {
      const url = await until(
        `${p.identity} serving`,
        () => {
          if (p.child.exitCode !== null)
            throw new Error(`${p.identity} exited:\n${p.lines.join('\n')}`);
          return p.url();
        },
        40_000,
      );
      await until(
        `${p.identity} ready`,
        async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
        30_000,
      );
      assert.ok(!p.lines.some((l) => l.includes('excess power')), p.lines.join('\n'));
    }
    const leader = await until(
      'one leader',
      async () => {
        const [ga, gb] = [await a.leaderGauge(), await b.leaderGauge()];
        return ga === 1 && gb === 0 ? a : gb === 1 && ga === 0 ? b : undefined;
      },
      30_000,
    );
    const standby = leader === a ? b : a;
    // The sandbox's API server writes its audit log there (src/sandbox/components.ts,
    // auditLogOf): without it, "no action done twice" would rest on the ledger alone.
    const log = auditLog();
    assert.ok(log, 'the sandbox API server audit log (logs/audit.log beside the kubeconfig)');
    const offset = auditOffset(log);

    // The incident: a crash-looping Deployment. The leader restarts it (ledger first).
    const name = 'clovis';
    await applyObjects([
      { ...deployment(name, { fault: 'crash-loop' }), metadata: { name, namespace: app } },
    ]);
    const readLedger = async (): Promise<LedgerEntry[]> => {
      const cm = await core
        .readNamespacedConfigMap({ name: 'berth-watchdog-ledger', namespace: svc })
        .catch(() => undefined);
      const text = cm?.data?.['entries.json'];
      return text ? (JSON.parse(text) as LedgerEntry[]) : [];
    };
    const pending = await until(
      'the restart in the ledger, pending',
      async () => {
        const e = (await readLedger()).find((x) => x.action.target.name === name);
        return e?.status === 'pending' ? e : undefined;
      },
      60_000,
    );
    const about = () =>
      chat.messages('discord-webhook').filter((m) => JSON.stringify(m.body).includes(name));
    assert.equal(about().length, 0, 'the leader reports after verifying');

    // SIGKILL the leader while it verifies.
    const killedAt = Date.now();
    leader.child.kill('SIGKILL');
    await until(
      'takeover',
      async () => ((await standby.leaderGauge()) === 1 ? true : undefined),
      25_000,
      100,
    );
    const took = Date.now() - killedAt;
    t.diagnostic(`takeover after SIGKILL: ${took} ms (lease 6 s)`);
    assert.ok(took < 20_000, `takeover took ${took} ms`);

    // The new leader verifies the restart it did not do (verifyTimeout 20 s: the pods still crash),
    // and reports it once.
    const done = await until(
      'the verdict in the ledger',
      async () => {
        const e = (await readLedger()).find((x) => x.id === pending.id);
        return e && e.status !== 'pending' ? e : undefined;
      },
      60_000,
      500,
    );
    assert.equal(done.status, 'failed');
    await until('the result message', () => (about().length > 0 ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(
      about().length,
      1,
      JSON.stringify(
        chat.messages().map((m) => m.body),
        null,
        1,
      ),
    );
    assert.match(JSON.stringify(about()[0]?.body), new RegExp(pending.id));
    const entries = (await readLedger()).filter((x) => x.action.target.name === name);
    assert.equal(entries.length, 1, `one action in the ledger: ${JSON.stringify(entries)}`);
    const write = {
      verb: 'patch',
      resource: 'deployments',
      namespace: app,
      name,
      user: service.user,
    };
    // Rotated meanwhile (--audit-log-maxsize): the rest of the old file, then the new one.
    const rotated =
      auditOffset(log) < offset
        ? readdirSync(dirname(log))
            .filter((f) => /^audit-.*\.log$/.test(f))
            .sort()
            .at(-1)
        : undefined;
    const restarts = rotated
      ? auditedWrites(join(dirname(log), rotated), offset, write) + auditedWrites(log, 0, write)
      : auditedWrites(log, offset, write);
    t.diagnostic(`deployment patches by the service account in the audit log: ${restarts}`);
    assert.equal(restarts, 1);

    // SIGTERM of the new leader: exit 0, the lease handed back.
    standby.child.kill('SIGTERM');
    assert.equal(await standby.exited(), 0, standby.lines.join('\n'));
    const lease = await (
      await import('../support/cluster.ts')
    )
      .testKubeConfig()
      .makeApiClient((await import('@kubernetes/client-node')).CoordinationV1Api)
      .readNamespacedLease({ name: 'berth-service', namespace: svc });
    assert.equal(lease.spec?.holderIdentity ?? '', '');
  },
);
