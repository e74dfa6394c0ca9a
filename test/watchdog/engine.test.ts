// The watchdog end to end on the in-memory port: informers feed passes, the policy acts once with
// the ledger written first, verification with the readiness engine, one message, undo; silence
// when healthy; no action and a proposed command for a non-transient cause.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import type { KubeObject } from '../../src/model/object.ts';
import type { Notification } from '../../src/notify/types.ts';
import { KubeActuator, restartedAtAnnotation } from '../../src/watchdog/adapters/actions.ts';
import { ConfigMapStore, MemoryJsonStore } from '../../src/watchdog/adapters/configmap-store.ts';
import { WatchdogEngine } from '../../src/watchdog/adapters/engine.ts';
import { WatchdogRunner } from '../../src/watchdog/adapters/runner.ts';
import { defaultConfig } from '../../src/watchdog/config.ts';
import type { LedgerEntry, Policy } from '../../src/watchdog/policy/types.ts';

const ns = 'bots';

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'clovis', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'clovis' } },
      template: {
        metadata: { labels: { app: 'clovis' } },
        spec: { containers: [{ name: 'app', image: 'clovis:1' }] },
      },
    },
  };
}

function pod(name: string, hash: string, lastReason: string | undefined): KubeObject {
  const cs = lastReason
    ? {
        name: 'app',
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: {
          terminated: { reason: lastReason, exitCode: lastReason === 'OOMKilled' ? 137 : 1 },
        },
      }
    : { name: 'app', ready: true, restartCount: 0, state: { running: {} } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { app: 'clovis', 'pod-template-hash': hash },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `clovis-${hash}`,
          uid: `rs-${hash}`,
          controller: true,
        },
      ],
    },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'clovis:1' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: lastReason ? 'False' : 'True' }],
      containerStatuses: [cs],
    },
  };
}

async function setup(lastReason: string, policy: Partial<Policy>) {
  const kube = new MemoryKube();
  for (const n of [ns, 'berth-system'])
    await kube.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } },
      { fieldManager: 'test' },
    );
  await kube.apply(
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
    { fieldManager: 'test' },
  );
  await kube.patch(
    { apiVersion: 'v1', kind: 'Node', name: 'n1' },
    { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    { fieldManager: 'test', type: 'merge', subresource: 'status' },
  );
  await kube.apply(deployment(), { fieldManager: 'test' });
  for (const p of ['clovis-7c9f-a', 'clovis-7c9f-b'])
    await kube.apply(pod(p, '7c9f', lastReason), { fieldManager: 'test' });
  const messages: Notification[] = [];
  const ledger = new ConfigMapStore<LedgerEntry[]>(
    kube,
    'berth-system',
    'berth-watchdog-ledger',
    'entries.json',
  );
  const actuator = new KubeActuator(kube, { pollMs: 20 });
  const engine = new WatchdogEngine({
    ...defaultConfig,
    policy: {
      ...defaultConfig.policy,
      verifyTimeoutMs: 3000,
      actions: [
        { action: 'rollout-restart', detectors: ['pod-restart-loop'], transientOnly: true },
      ],
      ...policy,
    },
    actuator,
    ledger,
    state: new MemoryJsonStore(),
    notify: (n) => {
      messages.push(n);
      return Promise.resolve();
    },
  });
  const runner = new WatchdogRunner({
    kube,
    engine,
    detectors: defaultConfig.detectors,
    schedules: {},
    metricsIntervalMs: 60_000,
    metricsWindowMs: 600_000,
    debounceMs: 20,
  });
  return { kube, engine, runner, messages, ledger, actuator };
}

/** Plays the Deployment controller: a changed template replaces the pods with ready ones. */
async function rollOut(kube: MemoryKube): Promise<void> {
  for (const p of ['clovis-7c9f-a', 'clovis-7c9f-b'])
    await kube.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: p });
  for (const p of ['clovis-5d6e-a', 'clovis-5d6e-b'])
    await kube.apply(pod(p, '5d6e', undefined), { fieldManager: 'test' });
  const d = await kube.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ns,
    name: 'clovis',
  });
  await kube.patch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'clovis' },
    {
      status: {
        observedGeneration: d?.metadata.generation,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: [
          { type: 'Available', status: 'True' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
        ],
      },
    },
    { fieldManager: 'test', type: 'merge', subresource: 'status' },
  );
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('transient crash loop: one restart, ledger first with its inverse, verified, one message; undo', async (t) => {
  const { kube, engine, runner, messages, ledger, actuator } = await setup('OOMKilled', {});
  t.after(() => runner.stop());
  let ledgerAtRestart: LedgerEntry[] | undefined;
  const original = actuator.execute.bind(actuator);
  actuator.execute = async (action) => {
    ledgerAtRestart = await ledger.load();
    await original(action);
    await rollOut(kube);
  };
  await runner.start();
  await until('the message', () => messages.length === 1);
  await engine.settle();
  assert.equal(
    ledgerAtRestart?.[0]?.status,
    'pending',
    'the ledger entry was written before acting',
  );
  const [entry] = (await ledger.load())!;
  assert.equal(entry?.status, 'verified');
  assert.deepEqual(entry?.inverse, { type: 'restore-restarted-at', previous: null });
  const m = messages[0]!;
  assert.equal(m.status, 'firing');
  assert.match(m.title, /^CrashLoopBackOff: Deployment bots\/clovis \(2 objects\)/);
  assert.ok(
    m.fields?.some(
      (f) => f.label === 'Action' && f.value.includes(`berth watchdog undo ${entry.id}`),
    ),
  );
  assert.ok(m.fields?.some((f) => f.label === 'Result' && f.value.startsWith('verified')));
  const live = await kube.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ns,
    name: 'clovis',
  });
  const annotations = (
    live as unknown as {
      spec: { template: { metadata: { annotations?: Record<string, string> } } };
    }
  ).spec.template.metadata.annotations;
  assert.ok(annotations?.[restartedAtAnnotation]);
  assert.match(await actuator.undo(entry), /removed/);
  const after = await kube.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ns,
    name: 'clovis',
  });
  assert.equal(
    (
      after as unknown as {
        spec: { template: { metadata: { annotations?: Record<string, string> } } };
      }
    ).spec.template.metadata.annotations?.[restartedAtAnnotation],
    undefined,
  );
  await runner.enqueue(false);
  assert.equal(messages.length, 1, 'healthy again: silent until the resolve grace has passed');
});

test('non-transient cause: no action, the message proposes the command', async (t) => {
  const { runner, messages, ledger } = await setup('Error', {});
  t.after(() => runner.stop());
  await runner.start();
  await until('the message', () => messages.length === 1);
  await runner.enqueue(false);
  await runner.enqueue(false);
  assert.equal(messages.length, 1, 'one message per incident');
  assert.equal(await ledger.load(), undefined);
  assert.match(messages[0]!.text, /No action: not acting: no transient cause visible/);
  assert.match(messages[0]!.command ?? '', /kubectl -n bots rollout restart deployment\/clovis/);
});

test('healthy cluster: silence', async (t) => {
  const { kube, runner, messages } = await setup('OOMKilled', {});
  t.after(() => runner.stop());
  await rollOut(kube);
  await runner.start();
  for (let i = 0; i < 3; i++) await runner.enqueue(false);
  assert.deepEqual(messages, []);
});
