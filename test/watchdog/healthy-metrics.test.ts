// A healthy cluster is silent (issue 10 §6, issue 11 §3): a real quiet minute on the sandbox with
// metrics.k8s.io flowing, in which the watchdog does what it does in many hours at its default
// cadence: metrics polled every 5 s (default 60 s: 12 polls = 12 minutes' worth), the scheduled
// detectors fired every 10-15 s (the daily report and the hourly cert-expiry check), and a healthy
// change (a scale-up) watched. Expected: the scheduled reports, one per firing, and nothing else;
// zero LLM calls and zero tokens, with an explainer wired to the local OpenAI fake. The 10-minute
// quiet period at the real cadence is in bench/watchdog-scale.ts (docs/watchdog.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api } from '@kubernetes/client-node';
import { connectKube } from '../../src/kube/connect.ts';
import { llmDefaults } from '../../src/llm/config.ts';
import { createExplainer } from '../../src/llm/create.ts';
import { MemoryOutboxStore, Notifier } from '../../src/notify/index.ts';
import { KubeActuator } from '../../src/watchdog/adapters/actions.ts';
import { MemoryJsonStore } from '../../src/watchdog/adapters/configmap-store.ts';
import { WatchdogEngine } from '../../src/watchdog/adapters/engine.ts';
import { WatchdogRunner } from '../../src/watchdog/adapters/runner.ts';
import { defaultConfig } from '../../src/watchdog/config.ts';
import type { Incident } from '../../src/watchdog/incidents.ts';
import {
  applyObjects,
  testKubeConfig,
  testKubeconfig,
  testNamespace,
  waitFor,
} from '../support/cluster.ts';
import { startFakeChat } from '../support/fake-chat.ts';
import { startFakeOpenAi } from '../support/fake-openai.ts';
import { deployment } from './support.ts';

const quietMs = Number(process.env.BERTH_TEST_QUIET_MS ?? 60_000);

/** A Deployment whose pods use a little CPU and memory (kwok's simulated usage). */
function web(namespace: string, replicas: number) {
  const d = deployment('web', { replicas });
  const template = d.spec.template as { metadata: { annotations?: Record<string, string> } };
  template.metadata.annotations = {
    'kwok.x-k8s.io/usage-cpu': '20m',
    'kwok.x-k8s.io/usage-memory': '48Mi',
  };
  return { ...d, metadata: { name: 'web', namespace } };
}

async function available(namespace: string, replicas: number): Promise<void> {
  const apps = testKubeConfig().makeApiClient(AppsV1Api);
  await waitFor(
    `Deployment web with ${replicas} available`,
    async () => {
      const d = await apps.readNamespacedDeployment({ namespace, name: 'web' });
      return (d.status?.availableReplicas ?? 0) >= replicas ? d : undefined;
    },
    { timeoutMs: 90_000 },
  );
}

test('a healthy cluster for a quiet minute (hours of polls and schedules): only the scheduled reports, zero LLM calls', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-quiet' });
  const chat = await startFakeChat();
  t.after(() => chat.close());
  const llm = await startFakeOpenAi({ answer: 'should never be asked' });
  t.after(() => llm.close());
  await applyObjects([web(namespace, 3)]);
  await available(namespace, 3);

  // On a shared sandbox other tests make broken nodes and pods (all named bt-…): cluster-scoped
  // incidents about them reach this watchdog too, and are left out of both counts.
  const foreign = (text: string) => /\bbt-/.test(text) && !text.includes(namespace);
  let tokens = 0;
  const explainer = createExplainer(
    { ...llmDefaults, baseURL: llm.baseURL, model: 'cheap-summary', timeoutMs: 5_000 },
    { onTokens: (n) => (tokens += n) },
  );
  const kube = await connectKube({ kubeconfig: testKubeconfig() });
  const notifier = await Notifier.open({
    targets: [{ type: 'webhook', url: chat.webhookUrl }],
    store: new MemoryOutboxStore(),
  });
  const engine = new WatchdogEngine({
    ...defaultConfig,
    policy: { ...defaultConfig.policy, include: [namespace] },
    actuator: new KubeActuator(kube),
    ledger: new MemoryJsonStore(),
    state: new MemoryJsonStore(),
    notify: (n) => notifier.notify(n),
    explain: async (incident: Incident) =>
      foreign(JSON.stringify(incident.subject)) ? '' : (await explainer.explain(incident)).text,
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
    schedules: {
      'daily-cluster-report': '*/10 * * * * *',
      'cert-expiry': '*/15 * * * * *',
    },
    metricsIntervalMs: 5_000,
    metricsWindowMs: 700_000,
    debounceMs: 200,
  });
  notifier.start();
  await runner.start();
  t.after(async () => {
    await runner.stop();
    await notifier.stop();
    kube.close();
  });

  const passes0 = runner.passes;
  const started = Date.now();
  await sleep(quietMs / 3);
  await applyObjects([web(namespace, 4)]); // a healthy change, watched
  await available(namespace, 4);
  await sleep(Math.max(0, quietMs - (Date.now() - started)));
  await notifier.drain({ timeoutMs: 5000 });

  const bodies = chat
    .messages('webhook')
    .map((m) => m.body as { id: string; fields: { label: string; value: string }[] });
  const reports = bodies.filter((b) => b.id.startsWith('report:'));
  const others = bodies.filter((b) => !b.id.startsWith('report:') && !foreign(JSON.stringify(b)));
  assert.deepEqual(others, [], 'no message but the reports');
  const expected = Math.floor(quietMs / 10_000);
  assert.ok(firings >= expected - 1 && firings <= expected + 1, `${firings} report firings`);
  assert.equal(reports.length, firings, 'one report per firing');
  assert.equal(llm.requests.length, 0, 'zero LLM calls');
  assert.equal(tokens, 0, 'zero LLM tokens');
  // The period was not idle: metrics polls, schedules and watch events each caused passes, and
  // the watchdog saw real usage of this namespace's pods through metrics.k8s.io.
  assert.ok(runner.passes - passes0 >= quietMs / 5_000, `${runner.passes - passes0} passes`);
  const seen = await runner.snapshot();
  const mine = (seen.podUsage ?? []).filter((p) => p.namespace === namespace);
  assert.ok(mine.length >= 3, `PodMetrics of ${mine.length} pods`);
  for (const p of mine) assert.equal(p.memory, 48 * 2 ** 20, `${p.name} memory`);
  const topCpu = reports.at(-1)?.fields.find((f) => f.label === 'top CPU')?.value ?? '';
  // (up to 5: a pod shows in PodMetrics after two scrapes, and a fresh sandbox has few pods)
  assert.match(topCpu, /^\S+\/\S+ \d+m(, \S+\/\S+ \d+m){0,4}$/, topCpu);
});
