// Issue 11 §4's last line: the acceptance scenarios of the autoscaler (issue 9 §5) and of the
// watchdog (issue 10 §6) pass under `berth serve`, run on the sandbox as local processes (the
// CLI) under tokens of the identity berth renders for its service. One spec — vapora's developer
// pool (berth scaling) and a Watchdog with a `service` section — is rendered; its identity, pool
// and spec ConfigMap are applied; two replicas run the rendered spec.yaml, and one of them leads
// both the autoscaler and the watchdog. The scenarios share that pair (each has its own watched
// namespace); the autoscaler's and the watchdog's run side by side. The 50-pod budget scenario
// needs another policy, so a service of its own, beside them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api } from '@kubernetes/client-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KubeApi } from '../../src/kube/api.ts';
import { restartedAtAnnotation } from '../../src/watchdog/adapters/actions.ts';
import { applyObjects, testKubeConfig } from '../support/cluster.ts';
import { startFakeChat, type FakeChat } from '../support/fake-chat.ts';
import { startNats, type ServerHandle } from '../support/servers.ts';
import { adminApi, natsQueue } from '../autoscale/support.ts';
import { deployment } from '../watchdog/support.ts';
import { autoscaleScenario } from './acceptance-autoscale.ts';
import {
  Cleanups,
  leaderOf,
  renderedService,
  wrongCanI,
  type CanIRow,
  type RenderedService,
} from './acceptance-support.ts';
import {
  available,
  budgetScenario,
  embedsOf,
  field,
  ledgerOf,
  nodeScenario,
  oomLoop,
  waitEmbeds,
} from './acceptance-watchdog.ts';
import { auditLog, auditOffset, tokenKubeconfig, type ServeProcess } from './serve-support.ts';

const DOWN_COOLDOWN = 3;
const c = new Cleanups();
let service: RenderedService;
let chat: FakeChat;
let nats: ServerHandle;
let nc: NatsConnection;
let admin: KubeApi;
let procs: ServeProcess[];
let audit: { file: string; offset: number };

before(
  async () => {
    service = await renderedService(c, {
      prefix: 'bt-sva',
      scenarios: ['transient', 'permanent', 'node', 'healthy', 'outage'],
      watchdog: (include) => `  namespaces: { include: ${include} }
  actions:
    - { action: rollout-restart, detectors: [pod-restart-loop], transientOnly: true }
  verifyTimeout: 60s`,
      pool: (p) => {
        p.spec.maxReplicas = 9;
        p.spec.scaling.down.cooldownSeconds = DOWN_COOLDOWN;
      },
    });
    chat = await startFakeChat();
    c.after(() => chat.close());
    nats = await startNats(c);
    nc = await natsQueue(c, nats.url);
    admin = await adminApi(c);
    const file = auditLog();
    assert.ok(file, 'the sandbox API server audit log (logs/audit.log beside the kubeconfig)');
    audit = { file, offset: auditOffset(file) };
    const env = { DISCORD_WEBHOOK_URL: chat.discordWebhookUrl };
    const extra = ['--endpoint', `nats=${nats.url}`];
    procs = await Promise.all(['a', 'b'].map((id) => service.start(id, env, extra)));
    for (const p of procs)
      assert.ok(!p.lines.some((l) => l.includes('excess')), p.lines.join('\n'));
  },
  { timeout: 180_000 },
);
after(() => c.run());

describe('berth serve under the rendered identity', { concurrency: 3 }, () => {
  test(
    'autoscaler: 5 → 7 → 9, hold without NATS, one step down at a time, busy pods kept, one writer',
    { timeout: 300_000 },
    async (t) => {
      await autoscaleScenario(t, {
        service,
        procs,
        nats,
        nc,
        admin,
        audit,
        downCooldownSeconds: DOWN_COOLDOWN,
      });
    },
  );

  test('the rendered identity: what the policy and the pool need, nothing else (can-i matrix)', async () => {
    // serve started without excess power (its self-audit against the generated role); this is
    // the matrix of issue 10 §6 for the identity as rendered, the same token the replicas use.
    const [svc, agents, w] = [service.svc, service.agents, service.ns.transient!];
    const apps = { group: 'apps' };
    const rows: CanIRow[] = [
      ['patch', 'deployments', agents, true, { ...apps, subresource: 'scale', name: 'developer' }],
      ['patch', 'deployments', agents, false, { ...apps, subresource: 'scale', name: 'other' }],
      ['patch', 'pods', agents, true],
      ['delete', 'pods', agents, false],
      ['patch', 'deployments', agents, false, apps],
      ['patch', 'deployments', w, true, apps],
      ['get', 'pods', w, true, { subresource: 'log' }],
      ['delete', 'pods', w, false],
      ['patch', 'deployments', w, false, { ...apps, subresource: 'scale' }],
      ['patch', 'deployments', 'default', false, apps],
      ['patch', 'leases', svc, true, { group: 'coordination.k8s.io', name: 'berth-service' }],
      ['create', 'leases', svc, false, { group: 'coordination.k8s.io' }],
      ['patch', 'configmaps', svc, true, { name: 'berth-service-autoscaler' }],
      ['patch', 'configmaps', svc, true, { name: 'berth-watchdog-ledger' }],
      ['patch', 'configmaps', svc, false, { name: 'berth-spec' }],
      ['get', 'secrets', svc, false],
      ['get', 'secrets', agents, false],
      ['list', 'secrets', undefined, false],
      ['create', 'pods', w, false, { subresource: 'exec' }],
      ['get', 'nodes', undefined, false, { subresource: 'proxy' }],
      ['patch', 'nodes', undefined, false],
      ['delete', 'namespaces', undefined, false],
      ['create', 'clusterroles', undefined, false, { group: 'rbac.authorization.k8s.io' }],
      ['create', 'rolebindings', svc, false, { group: 'rbac.authorization.k8s.io' }],
      ['create', 'serviceaccounts', svc, false, { subresource: 'token' }],
    ];
    assert.deepEqual(await wrongCanI(await tokenKubeconfig(svc, 'berth'), rows), []);
  });

  test(
    'watchdog: 50 crash-looping pods of one Deployment: one incident, one restart (budget), then escalation (a service of its own)',
    { timeout: 300_000 },
    async (t) => {
      await budgetScenario(t);
    },
  );

  describe('watchdog', { concurrency: 1 }, () => {
    test(
      'crash loop, transient cause (OOM): one message; restarted once, verified, ledger with its inverse',
      { timeout: 150_000 },
      async () => {
        const namespace = service.ns.transient!;
        await applyObjects([
          { ...deployment('clovis', { replicas: 2 }), metadata: { name: 'clovis', namespace } },
        ]);
        await available(namespace, 'clovis', 2);
        await oomLoop(namespace, 'clovis');
        const [e] = await waitEmbeds(chat, namespace, 1, 90_000);
        assert.ok(e);
        // Both pods are patched one after the other: the first message may go out between them.
        assert.match(
          e.title,
          /^Problem: CrashLoopBackOff: Deployment .*\/clovis( \(2 objects\))?$/,
        );
        assert.match(field(e, 'Affected'), /Pod .*\/clovis-/);
        assert.match(field(e, 'Evidence'), /last exit: OOMKilled \(code 137\)/);
        assert.match(field(e, 'Result'), /^verified/);
        const entries = await ledgerOf(service.svc, namespace);
        assert.equal(entries.length, 1, 'restarted once');
        assert.equal(entries[0]!.status, 'verified');
        assert.deepEqual(entries[0]!.inverse, {
          type: 'restore-restarted-at',
          previous: null,
          previousRevision: '1',
        });
        assert.match(
          field(e, 'Action'),
          new RegExp(`rollout restart deployment/clovis \\(ledger ${entries[0]!.id}`),
        );
        const d = await testKubeConfig()
          .makeApiClient(AppsV1Api)
          .readNamespacedDeployment({ namespace, name: 'clovis' });
        assert.ok(d.spec?.template.metadata?.annotations?.[restartedAtAnnotation]);
        const managers = (d.metadata?.managedFields ?? []).map((f) => f.manager);
        assert.ok(managers.includes('berth-watchdog'), managers.join());
        await sleep(3_000);
        assert.equal(embedsOf(chat, namespace).length, 1, 'one message for the incident');
      },
    );

    test(
      'crash loop without a transient cause: no action, the message proposes the command',
      { timeout: 90_000 },
      async () => {
        const namespace = service.ns.permanent!;
        await applyObjects([
          {
            ...deployment('hermes', { fault: 'crash-loop' }),
            metadata: { name: 'hermes', namespace },
          },
        ]);
        await waitEmbeds(chat, namespace, 1, 60_000);
        await sleep(3_000);
        assert.equal(embedsOf(chat, namespace).length, 1);
        const e = embedsOf(chat, namespace)[0]!;
        assert.match(
          e.description,
          /No action: not acting: no transient cause visible \(last exit Error, code 1\)/,
        );
        assert.match(field(e, 'Proposed command'), /rollout restart deployment\/hermes/);
        assert.deepEqual(await ledgerOf(service.svc, namespace), [], 'nothing in the ledger');
      },
    );

    test(
      'a NotReady node with 20 pods: one incident for the node, not 20',
      { timeout: 90_000 },
      async (t) => {
        await nodeScenario(t, chat, service.ns.node!);
      },
    );

    test(
      'a healthy namespace: silence (then a fault there is reported: it was watched)',
      { timeout: 120_000 },
      async () => {
        const namespace = service.ns.healthy!;
        const web = (replicas: number) => ({
          ...deployment('web', { replicas }),
          metadata: { name: 'web', namespace },
        });
        await applyObjects([web(3)]);
        await available(namespace, 'web', 3);
        await applyObjects([web(4)]);
        await available(namespace, 'web', 4);
        await sleep(15_000);
        assert.deepEqual(embedsOf(chat, namespace), []);
        await applyObjects([
          {
            ...deployment('broken', { fault: 'image-pull' }),
            metadata: { name: 'broken', namespace },
          },
        ]);
        const [e] = await waitEmbeds(chat, namespace, 1, 60_000);
        assert.match(e!.title, /broken/);
      },
    );

    test(
      'endpoint answers 500 for 60 s, then 429 with Retry-After, then 200: every incident exactly once, in order',
      { timeout: 240_000 },
      async () => {
        const namespace = service.ns.outage!;
        const from = chat.requests.length;
        chat.outage({ status: 500, forMs: 60_000 });
        chat.script({ status: 429, retryAfterSeconds: 2, times: 1 });
        for (const name of ['a1', 'a2', 'a3']) {
          await applyObjects([
            { ...deployment(name, { fault: 'image-pull' }), metadata: { name, namespace } },
          ]);
          await sleep(1_500);
        }
        await waitEmbeds(chat, namespace, 3, 150_000);
        await sleep(3_000);
        const titles = embedsOf(chat, namespace).map((e) => e.title);
        assert.deepEqual(
          titles.map((x) => /Deployment .*\/(a\d)/.exec(x)?.[1]),
          ['a1', 'a2', 'a3'],
          titles.join('\n'),
        );
        const requests = chat.requests.slice(from);
        assert.ok(requests.filter((r) => r.status === 500).length >= 3);
        const at429 = requests.findIndex((r) => r.status === 429);
        assert.ok(at429 >= 0);
        assert.ok(requests[at429 + 1]!.at - requests[at429]!.at >= 1_900, 'waited for Retry-After');
        // One leader delivered all of it.
        await leaderOf(procs);
      },
    );
  });
});
