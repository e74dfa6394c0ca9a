// Watchdog benchmark (issue 10 §7): fault injected → notification delivered to the local Discord
// fake, p50/p95 over 20 faults (goal p95 < 5 s; Hermes cron 10-15 min, k8sgpt operator 30 s
// interval); and when idle, the watchdog's API requests per minute (goal: only its watches) and
// its RSS. Each fault is a Deployment whose pods hit ImagePullBackOff (the sandbox's image-pull
// fault), in a namespace of its own. BERTH_BENCH_KUBECONFIG points at a running cluster;
// otherwise the default sandbox is started.
import type { KubeApi } from '../src/kube/api.ts';
import { connectKube } from '../src/kube/connect.ts';
import { Notifier, MemoryOutboxStore } from '../src/notify/index.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { KubeActuator } from '../src/watchdog/adapters/actions.ts';
import { MemoryJsonStore } from '../src/watchdog/adapters/configmap-store.ts';
import { WatchdogEngine } from '../src/watchdog/adapters/engine.ts';
import { WatchdogRunner } from '../src/watchdog/adapters/runner.ts';
import { defaultConfig } from '../src/watchdog/config.ts';
import { startFakeChat } from '../test/support/fake-chat.ts';
import { deployment } from '../test/watchdog/support.ts';
import { report } from './measure.ts';

const faults = Number(process.env.BERTH_BENCH_FAULTS ?? 20);
const idleMs = Number(process.env.BERTH_BENCH_IDLE_MS ?? 60_000);
const kubeconfig =
  process.env.BERTH_BENCH_KUBECONFIG ??
  (await startSandbox({ log: (l) => console.log(`  sandbox: ${l}`) })).kubeconfig;
const api = await connectKube({ kubeconfig });
const calls: Record<string, number> = {};
/** The port with every call counted (a watch counts once, when it is opened). */
const counted = new Proxy(api, {
  get(target, prop, receiver) {
    const value = Reflect.get(target, prop, receiver) as unknown;
    if (typeof value !== 'function' || prop === 'close') return value;
    return (...args: unknown[]) => {
      calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
      return (value as (...a: unknown[]) => unknown).apply(target, args);
    };
  },
}) as KubeApi;
const total = () => Object.values(calls).reduce((a, b) => a + b, 0);

const namespace = `bench-watchdog-${Date.now().toString(36)}`;
await api.apply(
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
  { fieldManager: 'berth-bench' },
);
const chat = await startFakeChat();
const notifier = await Notifier.open({
  targets: [{ type: 'discord-webhook', url: chat.discordWebhookUrl }],
  store: new MemoryOutboxStore(),
});
const engine = new WatchdogEngine({
  ...defaultConfig,
  policy: { ...defaultConfig.policy, include: [namespace] },
  actuator: new KubeActuator(counted),
  ledger: new MemoryJsonStore(),
  state: new MemoryJsonStore(),
  notify: (n) => notifier.notify(n),
});
const runner = new WatchdogRunner({
  kube: counted,
  engine,
  detectors: defaultConfig.detectors,
  schedules: {},
  metricsIntervalMs: 60_000,
  metricsWindowMs: 700_000,
});
notifier.start();
try {
  await runner.start();
  global.gc?.();
  const before = total();
  const rss0 = process.memoryUsage().rss;
  await new Promise((r) => setTimeout(r, idleMs));
  const idleCalls = total() - before;
  const perMinute = (idleCalls * 60_000) / idleMs;
  const rss = Math.max(rss0, process.memoryUsage().rss) / 2 ** 20;
  console.log(
    `  idle ${idleMs / 1000} s: ${idleCalls} API call(s) (${JSON.stringify(calls)}), RSS ${rss.toFixed(0)} MB`,
  );
  const latencies: number[] = [];
  for (let i = 0; i < faults; i++) {
    const name = `fault-${i}`;
    const seen = chat.messages().length;
    const start = Date.now();
    await api.apply(
      { ...deployment(name, { fault: 'image-pull' }), metadata: { name, namespace } },
      { fieldManager: 'berth-bench' },
    );
    const got = await chat.waitForMessages(seen + 1, { timeoutMs: 60_000 });
    latencies.push(got[seen]!.at - start);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  console.log(`  fault → message (ms): ${latencies.join(', ')}`);
  report({
    suite: 'watchdog',
    metric: `fault → Discord message delivered, p50 of ${faults} faults (ImagePullBackOff Deployment)`,
    unit: 'ms',
    berth: pct(50),
    peer: 'k8sgpt operator (30 s interval, mean wait)',
    peerValue: 15_000,
    target: 'p95 < 5 s',
  });
  report({
    suite: 'watchdog',
    metric: `fault → Discord message delivered, p95 of ${faults} faults`,
    unit: 'ms',
    berth: pct(95),
    peer: 'Hermes cron every 10 min (mean wait)',
    peerValue: 300_000,
    target: 'p95 < 5 s',
  });
  report({
    suite: 'watchdog',
    metric: `API requests per minute when idle, after start-up (${calls.list ?? 0} lists + ${calls.watch ?? 0} watches opened once), sandbox cluster`,
    unit: 'req/min',
    berth: perMinute,
    target: 'only its watches, no polling lists',
  });
  report({
    suite: 'watchdog',
    metric: 'RSS when idle, sandbox cluster (the bench process: watchdog + tsx + fake chat)',
    unit: 'MB',
    berth: rss,
    target: '< 150 MB (5,000 pods)',
  });
} finally {
  await runner.stop();
  await notifier.stop();
  await chat.close();
  await api.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace }).catch(() => false);
  api.close();
}
