/**
 * The croner schedule really fires the daily report: with a seconds-level pattern, each firing
 * delivers exactly one report to the (fake) chat, and a healthy cluster produces no other message
 * over the same period.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { Notifier } from '../../src/notify/notifier.ts';
import { parseTarget } from '../../src/notify/targets.ts';
import { ConfigMapStore, MemoryJsonStore } from '../../src/watchdog/adapters/configmap-store.ts';
import { WatchdogEngine } from '../../src/watchdog/adapters/engine.ts';
import { KubeActuator } from '../../src/watchdog/adapters/actions.ts';
import { WatchdogRunner } from '../../src/watchdog/adapters/runner.ts';
import { defaultConfig } from '../../src/watchdog/config.ts';
import type { LedgerEntry } from '../../src/watchdog/policy/types.ts';
import { startFakeChat } from '../support/fake-chat.ts';

const ns = 'bots';
const write = { fieldManager: 'test' };

async function healthyCluster(): Promise<MemoryKube> {
  const kube = new MemoryKube();
  for (const n of [ns, 'berth-system'])
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }, write);
  await kube.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }, write);
  await kube.patch(
    { apiVersion: 'v1', kind: 'Node', name: 'n1' },
    { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    { ...write, type: 'merge', subresource: 'status' },
  );
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'clovis-1', namespace: ns, labels: { app: 'clovis' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'clovis:1' }] },
  };
  await kube.apply(pod, write);
  await kube.patch(
    { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: 'clovis-1' },
    {
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
      },
    },
    { ...write, type: 'merge', subresource: 'status' },
  );
  return kube;
}

test('a seconds-level schedule delivers one report per firing and nothing else', async (t) => {
  const chat = await startFakeChat();
  t.after(() => chat.close());
  const kube = await healthyCluster();
  const notifier = await Notifier.open({
    targets: [parseTarget(`webhook=${chat.webhookUrl}`, {})],
  });
  notifier.start();
  t.after(() => notifier.stop());
  const engine = new WatchdogEngine({
    ...defaultConfig,
    actuator: new KubeActuator(kube),
    ledger: new ConfigMapStore<LedgerEntry[]>(kube, 'berth-system', 'l', 'entries.json'),
    state: new MemoryJsonStore(),
    notify: (n) => notifier.notify(n),
  });
  let firings = 0;
  const pass = engine.pass.bind(engine);
  engine.pass = (state, opts = {}) => {
    if (opts.reports) firings++;
    return pass(state, opts);
  };
  const runner = new WatchdogRunner({
    kube,
    engine,
    detectors: defaultConfig.detectors,
    schedules: { 'daily-cluster-report': '*/2 * * * * *' },
    metricsIntervalMs: 60_000,
    metricsWindowMs: 600_000,
    debounceMs: 20,
  });
  await runner.start();
  await sleep(7_000);
  await runner.stop();
  await notifier.drain({ timeoutMs: 5000 });

  assert.ok(firings >= 3 && firings <= 4, `every 2 s for 7 s fires 3 or 4 times, got ${firings}`);
  const delivered = chat.messages('webhook').map((m) => m.body as { id?: string; title?: string });
  assert.equal(delivered.length, firings, 'one message per firing, no other message');
  for (const m of delivered) assert.match(String(m.id), /^report:/, JSON.stringify(m));
  assert.equal(new Set(delivered.map((m) => m.id)).size, firings, 'each firing its own report');
});
