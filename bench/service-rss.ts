// `berth serve` (issue 11 §6): RSS of the one service process with the watchdog and the
// autoscaler both running, against the watchdog scale bench's cluster (5,000 kwok pods on 50
// nodes: `bench/watchdog-scale.bench.ts` makes it and keeps it). The autoscaler runs vapora's
// pools (examples/vapora, queues on a local nats-server and redis-server), the watchdog every
// detector (a Watchdog document with no actions: notify-only, to a local webhook).
//
//   BERTH_BENCH_KUBECONFIG=<kubeconfig> node --import tsx bench/service-rss.ts
//
// Prints `SERVICE {json}` and a BENCH line (goal < 200 MB). BERTH_BENCH_IDLE_MS: how long to
// sample after start-up (default 120 s).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectKube } from '../src/kube/connect.ts';
import { startFakeChat } from '../test/support/fake-chat.ts';
import { freePort, startNats, startRedis } from '../test/support/servers.ts';
import { report } from './measure.ts';
import { scaleNamespace } from './watchdog-scale-cluster.ts';

const kubeconfig = process.env.BERTH_BENCH_KUBECONFIG;
if (!kubeconfig)
  throw new Error('set BERTH_BENCH_KUBECONFIG (a cluster with the scale bench pods)');
const idleMs = Number(process.env.BERTH_BENCH_IDLE_MS ?? 120_000);
const root = join(import.meta.dirname, '..');
const cleanups: (() => unknown)[] = [];
const cleanup = { after: (fn: () => unknown) => void cleanups.push(fn) };

function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

try {
  const api = await connectKube({ kubeconfig });
  const pods = await api.list(
    { apiVersion: 'v1', kind: 'Pod', namespace: scaleNamespace },
    { fieldSelector: 'status.phase=Running', deadline: Date.now() + 60_000 },
  );
  await api.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'berth-system' } },
    { fieldManager: 'berth-bench' },
  );
  api.close();
  const chat = await startFakeChat();
  cleanups.push(() => chat.close());
  const nats = await startNats(cleanup);
  const redis = await startRedis(cleanup);
  const dir = await mkdtemp(join(tmpdir(), 'berth-bench-serve-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(join(root, 'examples', 'vapora'), dir, { recursive: true });
  await writeFile(
    join(dir, 'watchdog.yaml'),
    'apiVersion: berth.dev/v1alpha1\nkind: Watchdog\nmetadata:\n  name: berth\nspec:\n  ledgerNamespace: berth-system\n',
  );
  const port = await freePort();
  const built = join(root, 'dist', 'cli', 'main.js');
  const entry = existsSync(built)
    ? [built]
    : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
  const child = spawn(
    process.execPath,
    [
      ...entry,
      'serve',
      dir,
      `--kubeconfig=${kubeconfig}`,
      '--namespace=berth-system',
      '--identity=bench-rss',
      '--allow-excess-power',
      `--listen=127.0.0.1:${port}`,
      `--notify=webhook=${chat.webhookUrl}`,
      `--endpoint=nats=${nats.url}`,
      `--endpoint=redis=${redis.url}`,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  cleanups.push(() => {
    child.kill('SIGTERM');
    return new Promise((r) => child.once('exit', r));
  });
  const samples: number[] = [];
  const begin = Date.now();
  let ready = false;
  while (Date.now() - begin < 120_000 && child.exitCode === null) {
    ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ready) break;
    await sleep(500);
  }
  if (!ready) throw new Error(`berth serve did not become ready:\n${log}`);
  const readyMs = Date.now() - begin;
  const end = Date.now() + idleMs;
  while (Date.now() < end && child.exitCode === null) {
    const rss = child.pid ? rssOf(child.pid) : undefined;
    if (rss !== undefined) samples.push(rss);
    await sleep(2000);
  }
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const leader = /berth_service_leader(?:\{[^}]*\})? (\d)/.exec(metrics)?.[1];
  const peak = Math.max(...samples);
  console.log(
    `SERVICE ${JSON.stringify({ pods: pods.items.length, readyMs, leader, samples: samples.length, peakMB: peak, lastMB: samples.at(-1), cli: entry[0] === built ? 'dist' : 'tsx' })}`,
  );
  console.log(
    `  berth serve's last log lines:\n${log.trimEnd().split('\n').slice(-12).join('\n')}`,
  );
  report({
    suite: 'service',
    metric: `RSS of \`berth serve\` (watchdog + autoscaler polling vapora's 12 pools' queues; their Deployments not deployed), ${pods.items.length} kwok pods, peak over ${Math.round(idleMs / 1000)} s after ready`,
    unit: 'MB',
    berth: peak,
    target: '< 200 MB',
  });
} finally {
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
}
