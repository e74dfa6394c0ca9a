/**
 * The watchdog's acceptance scenarios (issue 10 §6) against a running `berth serve` (moved from
 * test/watchdog/sandbox.test.ts, which ran an engine assembled in the test): faults through the
 * sandbox's fault annotations and pod status as a kubelet reports it, messages to the local
 * Discord fake, the ledger read from the service's ConfigMap. Each scenario has its own watched
 * namespace, so one service can run them one after the other.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/model/object.ts';
import type { LedgerEntry } from '../../src/watchdog/policy/types.ts';
import { applyObjects, testKubeConfig, waitFor } from '../support/cluster.ts';
import { startFakeChat, type FakeChat } from '../support/fake-chat.ts';
import { deployment, patchStatus } from '../watchdog/support.ts';
import { renderedService } from './acceptance-support.ts';

export type Embed = {
  title: string;
  description: string;
  fields: { name: string; value: string }[];
};

/** Embeds that name `text` (a namespace, a node): the service reports on other scenarios too. */
export const embedsOf = (chat: FakeChat, text: string): Embed[] =>
  chat
    .messages('discord-webhook')
    .filter((m) => JSON.stringify(m.body).includes(text))
    .map((m) => (m.body as { embeds: Embed[] }).embeds[0]!);

export const waitEmbeds = (chat: FakeChat, text: string, n: number, timeoutMs: number) =>
  waitFor(
    `${n} message(s) about ${text}`,
    () => {
      const got = embedsOf(chat, text);
      return Promise.resolve(got.length >= n ? got : undefined);
    },
    { timeoutMs, intervalMs: 100 },
  );

export const field = (e: Embed, name: string) =>
  e.fields.find((f) => f.name.startsWith(name))?.value ?? '';

/** The entries of the service's ledger (ConfigMap berth-watchdog-ledger) acting in `namespace`. */
export async function ledgerOf(svc: string, namespace: string): Promise<LedgerEntry[]> {
  const cm = await testKubeConfig()
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name: 'berth-watchdog-ledger', namespace: svc })
    .catch(() => undefined);
  const text = cm?.data?.['entries.json'];
  const all = text ? (JSON.parse(text) as LedgerEntry[]) : [];
  return all.filter((e) => e.action.target.namespace === namespace);
}

export async function available(namespace: string, name: string, replicas: number): Promise<void> {
  const apps = testKubeConfig().makeApiClient(AppsV1Api);
  await waitFor(
    `Deployment ${name} available`,
    async () => {
      const d = await apps.readNamespacedDeployment({ namespace, name });
      return (d.status?.availableReplicas ?? 0) >= replicas ? d : undefined;
    },
    { timeoutMs: 90_000 },
  );
}

/** Reports pods as a kubelet would after an OOM kill: CrashLoopBackOff, last exit OOMKilled. */
export async function oomLoop(namespace: string, app: string): Promise<void> {
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  for (const p of pods.items) {
    const now = new Date().toISOString();
    const notReady = { status: 'False', reason: 'ContainersNotReady', lastTransitionTime: now };
    await patchStatus(
      { apiVersion: 'v1', kind: 'Pod', namespace, name: p.metadata!.name! },
      {
        phase: 'Running',
        conditions: [
          { type: 'Ready', ...notReady },
          { type: 'ContainersReady', ...notReady },
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        ],
        containerStatuses: [
          {
            name: 'app',
            image: 'registry.example/app:1.0.0',
            imageID: '',
            ready: false,
            restartCount: 5,
            started: false,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 2m40s restarting failed container',
              },
            },
            lastState: {
              terminated: { reason: 'OOMKilled', exitCode: 137, startedAt: now, finishedAt: now },
            },
          },
        ],
      },
    );
  }
}

/**
 * A NotReady node with 20 pods, 5 of them Failed → one incident for the node, not 20. The pods
 * are bound to the node before it exists (Pending, within the start grace: no finding), so the
 * node's first finding already counts them: the evidence shows the service saw them, and the
 * silence about the failed ones is their folding into the node's incident.
 */
export async function nodeScenario(
  t: { after(fn: () => unknown): void },
  chat: FakeChat,
  namespace: string,
): Promise<void> {
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  const nodeName = `${namespace}-node`;
  const pods: KubeObject[] = Array.from({ length: 20 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace },
    spec: {
      nodeName,
      containers: [{ name: 'app', image: 'registry.example/app:1.0.0' }],
      tolerations: [{ operator: 'Exists' }],
    },
  }));
  await applyObjects(pods);
  await core.createNode({
    // Tainted so no other test's pod is ever scheduled onto this fake node.
    body: {
      metadata: { name: nodeName, labels: { 'berth.dev/test': 'true' } },
      spec: { taints: [{ key: 'berth.dev/test', value: 'watchdog', effect: 'NoSchedule' }] },
    },
  });
  t.after(() => core.deleteNode({ name: nodeName }).catch(() => undefined));
  const now = new Date().toISOString();
  await patchStatus(
    { apiVersion: 'v1', kind: 'Node', name: nodeName },
    {
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
    },
  );
  for (const p of pods.slice(0, 5))
    await patchStatus(
      { apiVersion: 'v1', kind: 'Pod', namespace, name: p.metadata.name },
      { phase: 'Failed', reason: 'NodeLost' },
    );
  // The node's name starts with the namespace's: this finds messages about either.
  const about = () => embedsOf(chat, namespace);
  const [first] = await waitEmbeds(chat, nodeName, 1, 30_000);
  assert.ok(first);
  await sleep(5_000);
  assert.equal(about().length, 1, JSON.stringify(about(), null, 1));
  assert.match(first.title, new RegExp(`NodeNotReady: Node ${nodeName}`));
  assert.match(JSON.stringify(first), /20 pod\(s\) on the node/);
  assert.match(field(first, 'Proposed command'), new RegExp(`kubectl drain ${nodeName}`));
}

/**
 * 50 crash-looping pods of one Deployment → one grouped incident, one restart (the budget: one
 * per workload and hour), then escalation. Another policy than the shared service's (no
 * transient cause needed, re-notify after 5 s), so its own `berth serve`, started once the 50
 * pods loop (a service starting onto a broken cluster sees them as one incident at once), and
 * its own chat.
 */
export async function budgetScenario(t: TestContext): Promise<void> {
  // A chat of its own: this service reports cluster-scoped incidents (another scenario's NotReady
  // node) too, which the shared service's scenarios must not receive twice.
  const chat = await startFakeChat();
  t.after(() => chat.close());
  const service = await renderedService(t, {
    prefix: 'bt-svb',
    scenarios: ['fifty'],
    watchdog: (include) => `  namespaces: { include: ${include} }
  actions:
    - { action: rollout-restart, detectors: [pod-restart-loop], transientOnly: false }
  budgets: { perWorkloadPerHour: 1 }
  verifyTimeout: 30s
  renotifyAfter: 5s`,
  });
  const namespace = service.ns.fifty!;
  await applyObjects([
    {
      ...deployment('swarm', { replicas: 50, fault: 'crash-loop' }),
      metadata: { name: 'swarm', namespace },
    },
  ]);
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  await waitFor(
    '50 crash-looping pods',
    async () => {
      const pods = await core.listNamespacedPod({ namespace });
      const looping = pods.items.filter(
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
      );
      return looping.length >= 50 ? looping : undefined;
    },
    { timeoutMs: 120_000 },
  );
  await service.start('only', { DISCORD_WEBHOOK_URL: chat.discordWebhookUrl });
  const [first, second] = await waitEmbeds(chat, namespace, 2, 120_000);
  assert.ok(first && second);
  assert.match(
    first.title,
    /^Needs a human: CrashLoopBackOff: Deployment .*\/swarm \(50 objects\)/,
  );
  assert.match(field(first, 'Affected (50)'), /and 40 more/);
  assert.match(field(first, 'Result'), /^NOT verified/);
  assert.match(second.title, /^Needs a human: /);
  assert.match(second.description, /Escalation: remediation .* did not fix it|budget spent/);
  const entries = await ledgerOf(service.svc, namespace);
  assert.equal(entries.length, 1, 'the budget allowed one restart');
  assert.equal(entries[0]!.status, 'failed');
}
