// Watchdog at scale (issue 10 §7, issue 11 §6): against 5,000 kwok pods on 50 nodes, with
// metrics.k8s.io served by the sandbox's metrics-server (ADR 0120):
// - `berth watchdog run` (the built CLI, its own process, every detector, default cadence): RSS
//   sampled from /proc over the quiet period (goal < 150 MB);
// - the same watchdog in-process with its Kubernetes port counted: API requests per minute over
//   the quiet period (goal: only its watches), by verb;
// - LLM tokens per healthy day (goal 0): the quiet period with an explainer wired to the local
//   OpenAI fake (test/support/fake-openai.ts), then tokens per incident over injected faults.
// The quiet period (BERTH_BENCH_QUIET_MS, default 10 min) is also the issue's "healthy cluster for
// 10 minutes": messages other than reports are counted and must be 0.
// BERTH_BENCH_KUBECONFIG points at a cluster with metrics.k8s.io (own sandbox: `berth sandbox up
// --name bench`); else the default sandbox is started. Pods and nodes are kept for a re-run
// unless BERTH_BENCH_CLEANUP=1.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeApi } from '../src/kube/api.ts';
import { connectKube } from '../src/kube/connect.ts';
import { llmDefaults } from '../src/llm/config.ts';
import { createExplainer } from '../src/llm/create.ts';
import { MemoryOutboxStore, Notifier } from '../src/notify/index.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { KubeActuator } from '../src/watchdog/adapters/actions.ts';
import { MemoryJsonStore } from '../src/watchdog/adapters/configmap-store.ts';
import { WatchdogEngine } from '../src/watchdog/adapters/engine.ts';
import { WatchdogRunner } from '../src/watchdog/adapters/runner.ts';
import { defaultConfig } from '../src/watchdog/config.ts';
import { startFakeChat } from '../test/support/fake-chat.ts';
import { startFakeOpenAi } from '../test/support/fake-openai.ts';
import { deployment } from '../test/watchdog/support.ts';
import { report } from './measure.ts';
import { populate, unpopulate } from './watchdog-scale-cluster.ts';

const quietMs = Number(process.env.BERTH_BENCH_QUIET_MS ?? 600_000);
const nodes = Number(process.env.BERTH_BENCH_NODES ?? 50);
const podsPerNode = Number(process.env.BERTH_BENCH_PODS_PER_NODE ?? 100);
const faults = Number(process.env.BERTH_BENCH_LLM_FAULTS ?? 5);
const root = join(import.meta.dirname, '..');
const log = (line: string) => console.log(`  ${line}`);

const kubeconfig =
  process.env.BERTH_BENCH_KUBECONFIG ??
  (await startSandbox({ log: (l) => log(`sandbox: ${l}`) })).kubeconfig;
const api = await connectKube({ kubeconfig });
const cleanups: (() => Promise<unknown>)[] = [];

/** The port with every call counted by verb (a watch counts once, when it is opened). */
function counted(target: KubeApi, calls: Record<string, number>): KubeApi {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) => {
        const first = args[0] as { apiVersion?: string } | undefined;
        const key = `${String(prop)}${first?.apiVersion?.startsWith('metrics.k8s.io') ? ' (metrics.k8s.io)' : ''}`;
        calls[key] = (calls[key] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

/** VmRSS of a process in MB, or undefined once it is gone. */
function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `berth watchdog run` as its own process for `ms`; samples its RSS every 2 s. */
function cliWatchdog(webhook: string, outbox: string, ms: number) {
  const built = join(root, 'dist', 'cli', 'main.js');
  const entry = existsSync(built)
    ? [built]
    : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
  const args = [...entry, 'watchdog', 'run', `--kubeconfig=${kubeconfig}`];
  args.push(`--notify=webhook=${webhook}`, `--outbox=${outbox}`, `--for=${Math.round(ms / 1000)}s`);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
  const samples: number[] = [];
  const timer = setInterval(() => {
    const rss = child.pid ? rssOf(child.pid) : undefined;
    if (rss !== undefined) samples.push(rss);
  }, 2000);
  const done = new Promise<number | null>((resolve) => child.on('close', resolve)).finally(() =>
    clearInterval(timer),
  );
  return {
    entry: existsSync(built) ? 'dist/cli/main.js' : 'tsx src/cli/main.ts',
    samples,
    done,
    output,
    child,
  };
}

try {
  const started = Date.now();
  const { pods } = await populate(api, { nodes, podsPerNode, log });
  log(
    `cluster: ${nodes} nodes, ${pods} pods Running (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  if (process.env.BERTH_BENCH_CLEANUP === '1') cleanups.push(() => unpopulate(api, nodes));

  const chat = await startFakeChat();
  cleanups.push(() => chat.close());
  const llm = await startFakeOpenAi({
    answer: 'The container exits at start; read its log excerpt.',
  });
  cleanups.push(() => llm.close());
  const tokens = { total: 0, calls: 0 };
  const explainer = createExplainer(
    { ...llmDefaults, baseURL: llm.baseURL, model: 'cheap-summary', timeoutMs: 10_000 },
    { onTokens: (n) => ((tokens.total += n), tokens.calls++) },
  );
  const calls: Record<string, number> = {};
  const kube = counted(api, calls);
  const notifier = await Notifier.open({
    targets: [{ type: 'webhook', url: chat.webhookUrl }],
    store: new MemoryOutboxStore(),
  });
  const engine = new WatchdogEngine({
    ...defaultConfig,
    actuator: new KubeActuator(kube),
    ledger: new MemoryJsonStore(),
    state: new MemoryJsonStore(),
    notify: (n) => notifier.notify(n),
    explain: async (incident) => (await explainer.explain(incident)).text,
  });
  const runner = new WatchdogRunner({
    kube,
    engine,
    detectors: defaultConfig.detectors,
    schedules: {},
    metricsIntervalMs: defaultConfig.metricsIntervalMs,
    metricsWindowMs: 700_000,
  });
  notifier.start();
  const t0 = Date.now();
  await runner.start();
  log(`in-process watchdog started in ${Date.now() - t0} ms (${JSON.stringify(calls)})`);
  cleanups.push(() => runner.stop().then(() => notifier.stop()));

  // The quiet period: both watchdogs idle against the 5,000 pods.
  const dir = await mkdtemp(join(tmpdir(), 'berth-bench-wd-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const cli = cliWatchdog(chat.webhookUrl, join(dir, 'outbox.json'), quietMs + 30_000);
  await sleep(30_000); // both past their start-up (lists of 5,000 pods)
  const before = { ...calls };
  const quietStart = Date.now();
  const messages0 = chat.messages('webhook').length;
  await sleep(quietMs);
  const minutes = (Date.now() - quietStart) / 60_000;
  const during = Object.fromEntries(
    Object.entries(calls).map(([k, v]) => [k, v - (before[k] ?? 0)] as const),
  );
  const total = Object.values(during).reduce((a, b) => a + b, 0);
  const metricsLists = during['list (metrics.k8s.io)'] ?? 0;
  const quietMessages = chat
    .messages('webhook')
    .slice(messages0)
    .filter((m) => !String((m.body as { id?: string }).id).startsWith('report:'));
  const quietTokens = tokens.total;
  const code = await cli.done;
  const rssPeak = Math.max(...cli.samples);
  const rssLast = cli.samples.at(-1) ?? NaN;
  const steady = [...cli.samples.slice(Math.floor(cli.samples.length / 2))].sort((a, b) => a - b);
  const rssSteady = steady[Math.floor(steady.length / 2)] ?? NaN;
  log(`quiet ${minutes.toFixed(1)} min: ${total} API calls ${JSON.stringify(during)}`);
  log(
    `quiet: ${quietMessages.length} message(s) besides reports, ${llm.requests.length} LLM call(s), ${quietTokens} tokens`,
  );
  log(
    `berth watchdog run (${cli.entry}) exited ${code}; RSS samples ${cli.samples.length}, peak ${rssPeak.toFixed(0)} MB, median of the second half ${rssSteady.toFixed(0)} MB, last ${rssLast.toFixed(0)} MB`,
  );
  if (code !== 0) log(`its output:\n${cli.output.join('').slice(-2000)}`);

  // Tokens per incident: faults in a namespace of their own, each one incident and one call.
  const ns = `bench-wd-llm-${Date.now().toString(36)}`;
  await api.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { fieldManager: 'berth-bench' },
  );
  cleanups.push(() => api.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }));
  const kinds = ['crash-loop', 'image-pull', 'config-error'];
  for (let i = 0; i < faults; i++) {
    const name = `fault-${i}`;
    const fault = kinds[i % kinds.length]!;
    await api.apply(
      { ...deployment(name, { fault }), metadata: { name, namespace: ns } },
      { fieldManager: 'berth-bench' },
    );
  }
  const deadline = Date.now() + 120_000;
  while (tokens.calls < faults && Date.now() < deadline) await sleep(500);
  const perIncident = tokens.calls ? (tokens.total - quietTokens) / tokens.calls : NaN;
  const prompts = llm.requests.map((r) => r.system.length + r.user.length);
  log(
    `${tokens.calls} explanation(s) for ${faults} faults; prompt sizes (chars) ${prompts.join(', ')}`,
  );

  report({
    suite: 'watchdog',
    metric: `RSS of \`berth watchdog run\` (${cli.entry}), ${pods} kwok pods on ${nodes} nodes, peak over ${minutes.toFixed(0)} min idle`,
    unit: 'MB',
    berth: rssPeak,
    target: '< 150 MB',
  });
  report({
    suite: 'watchdog',
    metric: `RSS of \`berth watchdog run\`, same run, median of the second half (after start-up's lists)`,
    unit: 'MB',
    berth: rssSteady,
    target: '< 150 MB',
  });
  report({
    suite: 'watchdog',
    metric: `API requests per minute when idle, ${pods} pods / ${nodes} nodes, over ${minutes.toFixed(0)} min (${metricsLists} metrics.k8s.io lists, ${total - metricsLists} other)`,
    unit: 'req/min',
    berth: total / minutes,
    target:
      'only its watches (+ 2 metrics.k8s.io lists per metrics interval: that API has no watch)',
  });
  report({
    suite: 'watchdog',
    metric: `messages other than scheduled reports, healthy cluster for ${minutes.toFixed(0)} min (${pods} pods)`,
    unit: 'messages',
    berth: quietMessages.length,
    target: '0',
  });
  report({
    suite: 'llm',
    metric: `LLM tokens per healthy day (measured over ${minutes.toFixed(0)} quiet min, ×${(1440 / minutes).toFixed(0)})`,
    unit: 'tokens',
    berth: (quietTokens * 1440) / minutes,
    target: '0',
  });
  report({
    suite: 'llm',
    metric: `LLM tokens per incident (prompt + answer, ${tokens.calls} incidents: ${kinds.join(', ')}; fake server counts chars/4)`,
    unit: 'tokens',
    berth: perIncident,
    target: `≤ ${llmDefaults.incidentTokens} (budget per incident per day)`,
  });
} finally {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  api.close();
}
