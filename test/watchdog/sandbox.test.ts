// Acceptance of the watchdog on the sandbox cluster (docs/watchdog.md): faults through the
// sandbox's fault annotations and pod status as a kubelet reports it, notifications to the
// local Discord fake. Each test has its own namespace; the watchdog is scoped to it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/model/object.ts';
import { restartedAtAnnotation } from '../../src/watchdog/adapters/actions.ts';
import { applyObjects, testKubeConfig, testNamespace, waitFor } from '../support/cluster.ts';
import { startFakeChat, type FakeChat } from '../support/fake-chat.ts';
import { deployment, patchStatus, startWatchdog } from './support.ts';

type Embed = { title: string; description: string; fields: { name: string; value: string }[] };
/** Embeds that name `namespace` (a shared cluster may add cluster-scoped incidents). */
const embedsOf = (chat: FakeChat, namespace: string): Embed[] =>
  chat
    .messages('discord-webhook')
    .filter((m) => JSON.stringify(m.body).includes(namespace))
    .map((m) => (m.body as { embeds: Embed[] }).embeds[0]!);
const waitEmbeds = (chat: FakeChat, namespace: string, n: number, timeoutMs: number) =>
  waitFor(
    `${n} message(s) about ${namespace}`,
    () => {
      const got = embedsOf(chat, namespace);
      return Promise.resolve(got.length >= n ? got : undefined);
    },
    { timeoutMs, intervalMs: 100 },
  );
const embed = (chat: FakeChat, i: number) =>
  (chat.messages('discord-webhook')[i]!.body as { embeds: Embed[] }).embeds[0]!;
const field = (e: Embed, name: string) =>
  e.fields.find((f) => f.name.startsWith(name))?.value ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function available(namespace: string, name: string, replicas: number): Promise<void> {
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
async function oomLoop(namespace: string, app: string): Promise<void> {
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  for (const p of pods.items) {
    const now = new Date().toISOString();
    const status = {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: now },
        {
          type: 'ContainersReady',
          status: 'False',
          reason: 'ContainersNotReady',
          lastTransitionTime: now,
        },
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
    };
    await patchStatus(
      { apiVersion: 'v1', kind: 'Pod', namespace, name: p.metadata!.name! },
      status,
    );
  }
}

test('crash loop with a transient cause (OOM): one Discord message; restarted once, verified, in the ledger with its inverse', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-transient' });
  const chat = await startFakeChat();
  t.after(() => chat.close());
  await applyObjects([
    { ...deployment('clovis', { replicas: 2 }), metadata: { name: 'clovis', namespace } },
  ]);
  await available(namespace, 'clovis', 2);
  const wd = await startWatchdog({
    namespace,
    targets: [{ type: 'discord-webhook', url: chat.discordWebhookUrl }],
    policy: {
      actions: [
        { action: 'rollout-restart', detectors: ['pod-restart-loop'], transientOnly: true },
      ],
    },
  });
  t.after(() => wd.stop());
  await oomLoop(namespace, 'clovis');
  const [e] = await waitEmbeds(chat, namespace, 1, 90_000);
  assert.ok(e);
  // Both pods are patched one after the other: on a loaded machine the first message may go out
  // before the second pod's status lands (grouping is the 50-pod test's subject).
  assert.match(e.title, /^Problem: CrashLoopBackOff: Deployment .*\/clovis( \(2 objects\))?$/);
  assert.match(field(e, 'Affected'), /Pod .*\/clovis-/);
  assert.match(field(e, 'Evidence'), /last exit: OOMKilled \(code 137\)/);
  assert.match(field(e, 'Result'), /^verified/);
  const entries = (await wd.ledger.load())!;
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
  await sleep(3000);
  assert.equal(embedsOf(chat, namespace).length, 1, 'one message for the incident');
});

test('crash loop without a transient cause: no action, the message proposes the command', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-permanent' });
  const chat = await startFakeChat();
  t.after(() => chat.close());
  const wd = await startWatchdog({
    namespace,
    targets: [{ type: 'discord-webhook', url: chat.discordWebhookUrl }],
    policy: {
      actions: [
        { action: 'rollout-restart', detectors: ['pod-restart-loop'], transientOnly: true },
      ],
    },
  });
  t.after(() => wd.stop());
  await applyObjects([
    { ...deployment('hermes', { fault: 'crash-loop' }), metadata: { name: 'hermes', namespace } },
  ]);
  await waitEmbeds(chat, namespace, 1, 60_000);
  await sleep(3000);
  assert.equal(embedsOf(chat, namespace).length, 1);
  const e = embedsOf(chat, namespace)[0]!;
  assert.match(
    e.description,
    /No action: not acting: no transient cause visible \(last exit Error, code 1\)/,
  );
  assert.match(field(e, 'Proposed command'), /rollout restart deployment\/hermes/);
  assert.equal(await wd.ledger.load(), undefined, 'nothing in the ledger');
});

test('50 crash-looping pods of one Deployment: one incident, one restart (budget), then escalation', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-fifty' });
  const chat = await startFakeChat();
  t.after(() => chat.close());
  await applyObjects([
    {
      ...deployment('swarm', { replicas: 50, fault: 'crash-loop' }),
      metadata: { name: 'swarm', namespace },
    },
  ]);
  await waitFor(
    '50 crash-looping pods',
    async () => {
      const pods = await testKubeConfig().makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
      const looping = pods.items.filter(
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
      );
      return looping.length >= 50 ? looping : undefined;
    },
    { timeoutMs: 120_000 },
  );
  const wd = await startWatchdog({
    namespace,
    targets: [{ type: 'discord-webhook', url: chat.discordWebhookUrl }],
    policy: {
      actions: [
        { action: 'rollout-restart', detectors: ['pod-restart-loop'], transientOnly: false },
      ],
      perWorkloadPerHour: 1,
      verifyTimeoutMs: 30_000,
    },
    tracker: { renotifyMs: 5000 },
  });
  t.after(() => wd.stop());
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
  const entries = (await wd.ledger.load())!;
  assert.equal(entries.length, 1, 'the budget allowed one restart');
  assert.equal(entries[0]!.status, 'failed');
});

test('a NotReady node with 20 pods: one incident for the node, not 20', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-node' });
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  const nodeName = `${namespace}-node`;
  await core.createNode({
    // Tainted so no other test's pod is ever scheduled onto this fake node.
    body: {
      metadata: { name: nodeName, labels: { 'berth.dev/test': 'true' } },
      spec: { taints: [{ key: 'berth.dev/test', value: 'watchdog', effect: 'NoSchedule' }] },
    },
  });
  t.after(() => core.deleteNode({ name: nodeName }).then(() => undefined));
  const notReady = {
    conditions: [
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastHeartbeatTime: new Date().toISOString(),
        lastTransitionTime: new Date().toISOString(),
      },
    ],
  };
  await patchStatus({ apiVersion: 'v1', kind: 'Node', name: nodeName }, notReady);
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
  const chat = await startFakeChat();
  t.after(() => chat.close());
  // Failed pods on the node are grouped under the node incident.
  for (const p of pods.slice(0, 5))
    await patchStatus(
      { apiVersion: 'v1', kind: 'Pod', namespace, name: p.metadata.name },
      { phase: 'Failed', reason: 'NodeLost' },
    );
  const wd = await startWatchdog({
    namespace,
    targets: [{ type: 'discord-webhook', url: chat.discordWebhookUrl }],
  });
  t.after(() => wd.stop());
  await chat.waitForMessages(1, { timeoutMs: 30_000 });
  await sleep(3000);
  const titles = chat.messages().map((m) => (m.body as { embeds: Embed[] }).embeds[0]!.title);
  const mine = titles.filter((x) => x.includes(nodeName) || x.includes(namespace));
  assert.equal(mine.length, 1, titles.join('\n'));
  assert.match(mine[0]!, new RegExp(`NodeNotReady: Node ${nodeName}`));
  // The watchdog did see the failed pods (each would be an incident of its own), yet said nothing
  // about them: they are folded into the node's incident.
  const seen = await wd.runner.snapshot();
  const failed = (seen.objects.Pod ?? []).filter(
    (p) =>
      p.metadata.namespace === namespace &&
      (p as { status?: { phase?: string } }).status?.phase === 'Failed',
  );
  assert.equal(failed.length, 5);
  await wd.runner.enqueue(false);
  assert.equal(
    chat
      .messages()
      .filter(
        (m) =>
          JSON.stringify(m.body).includes(namespace) || JSON.stringify(m.body).includes(nodeName),
      ).length,
    1,
  );
  assert.match(
    field(embed(chat, titles.indexOf(mine[0]!)), 'Proposed command'),
    new RegExp(`kubectl drain ${nodeName}`),
  );
});

test('endpoint answers 500 for 60 s, then 429 with Retry-After, then 200: every incident exactly once, in order', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-outage' });
  const chat = await startFakeChat();
  t.after(() => chat.close());
  // 500 for 60 s; the first request after the outage gets 429 with Retry-After: 2.
  chat.outage({ status: 500, forMs: 60_000 });
  chat.script({ status: 429, retryAfterSeconds: 2, times: 1 });
  const wd = await startWatchdog({
    namespace,
    targets: [{ type: 'discord-webhook', url: chat.discordWebhookUrl }],
    retry: { baseMs: 500, capMs: 5000 },
  });
  t.after(() => wd.stop());
  for (const name of ['a1', 'a2', 'a3']) {
    await applyObjects([
      { ...deployment(name, { fault: 'image-pull' }), metadata: { name, namespace } },
    ]);
    await sleep(1500);
  }
  const got = await chat.waitForMessages(3, { timeoutMs: 120_000 });
  await sleep(3000);
  const titles = chat.messages().map((m) => (m.body as { embeds: Embed[] }).embeds[0]!.title);
  assert.deepEqual(
    titles.map((x) => /deployment|Deployment .*\/(a\d)/.exec(x)?.[1]),
    ['a1', 'a2', 'a3'],
    titles.join('\n'),
  );
  assert.equal(got.length, 3);
  assert.ok(chat.requests.filter((r) => r.status === 500).length >= 3);
  const at429 = chat.requests.findIndex((r) => r.status === 429);
  assert.ok(at429 >= 0);
  assert.ok(
    chat.requests[at429 + 1]!.at - chat.requests[at429]!.at >= 1900,
    'waited for Retry-After',
  );
});

test('a healthy namespace: silence', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-healthy' });
  const chat = await startFakeChat();
  t.after(() => chat.close());
  await applyObjects([
    { ...deployment('web', { replicas: 3 }), metadata: { name: 'web', namespace } },
  ]);
  await available(namespace, 'web', 3);
  const wd = await startWatchdog({
    namespace,
    targets: [{ type: 'discord-webhook', url: chat.discordWebhookUrl }],
  });
  t.after(() => wd.stop());
  await applyObjects([
    { ...deployment('web', { replicas: 4 }), metadata: { name: 'web', namespace } },
  ]);
  await available(namespace, 'web', 4);
  await sleep(15_000);
  assert.ok(wd.runner.passes >= 2, `${wd.runner.passes} passes`);
  const mine = chat.messages().filter((m) => JSON.stringify(m.body).includes(namespace));
  assert.deepEqual(mine, []);
});
