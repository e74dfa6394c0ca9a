// Child of autoscale.bench.ts: `berth autoscale run` (the built CLI, its own process) idle with
// vapora's 12 pools (queues empty, pools at their minimum) on the sandbox. Prints one JSON line:
// the process's RSS (VmRSS) and its Kubernetes API calls per minute (from its own /metrics).
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager, AckPolicy } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { berthPools, policyOf } from '../src/autoscale/pools.ts';
import { adminApi, deployDeveloper, vapora, vaporaDir } from '../test/autoscale/support.ts';
import { testKubeconfig } from '../test/support/cluster.ts';
import { freePort, startNats, startRedis } from '../test/support/servers.ts';

const cleanups: (() => unknown)[] = [];
const cleanup = { after: (fn: () => unknown) => void cleanups.push(fn) };
const measureMs = Number(process.env.BERTH_BENCH_IDLE_MS ?? 60_000);
const root = join(import.meta.dirname, '..');
const built = join(root, 'dist', 'cli', 'main.js');

/** examples/vapora copied with its namespaces renamed `<ns>-<suffix>`. */
async function relocatedCopy(suffix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-bench-vapora-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(vaporaDir, dir, { recursive: true });
  for (const f of await readdir(dir, { recursive: true })) {
    if (!f.endsWith('.yaml')) continue;
    const text = await readFile(join(dir, f), 'utf8');
    await writeFile(
      join(dir, f),
      text.replace(/namespace: (vapora-[a-z]+)/g, `namespace: $1-${suffix}`),
    );
  }
  return dir;
}

try {
  const suffix = Date.now().toString(36);
  const ws = await vapora(suffix);
  const pools = berthPools(ws);
  await deployDeveloper(
    cleanup,
    ws,
    pools.map((p) => p.name),
  );
  const admin = await adminApi(cleanup);
  for (const p of pools)
    await admin.patchScale(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: p.namespace, name: p.name },
      policyOf(p).min,
      { fieldManager: 'berth-bench', deadline: Date.now() + 10_000 },
    );
  const nats = await startNats(cleanup);
  const redis = await startRedis(cleanup);
  const nc = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'VAPORA_TASKS', subjects: ['vapora.tasks.>'] });
  for (const p of pools)
    if (p.spec.queue?.consumer)
      await jsm.consumers.add('VAPORA_TASKS', {
        durable_name: p.spec.queue.consumer,
        ack_policy: AckPolicy.Explicit,
        filter_subject: `vapora.tasks.${p.spec.queue.consumer}`,
      });
  await nc.close();

  const dir = await relocatedCopy(suffix);
  const port = await freePort();
  // BERTH_BENCH_IDLE_CLI=src runs the sources through tsx (a working tree whose dist/ is stale).
  const entry =
    existsSync(built) && process.env.BERTH_BENCH_IDLE_CLI !== 'src'
      ? [built]
      : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
  // BERTH_BENCH_IDLE_NODE_ARGS: extra node flags for the child (e.g. --trace-gc), and
  // BERTH_BENCH_IDLE_LOG: a file that gets its stdout and stderr (to find where memory goes).
  const nodeArgs = (process.env.BERTH_BENCH_IDLE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      ...entry,
      'autoscale',
      'run',
      dir,
      '--kubeconfig',
      testKubeconfig(),
      '--endpoint',
      `nats=${nats.url}`,
      '--endpoint',
      `redis=${redis.url}`,
      '--listen',
      `127.0.0.1:${port}`,
      '--identity',
      'bench-idle',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const logFile = process.env.BERTH_BENCH_IDLE_LOG;
  child.stdout.on('data', (d: Buffer) => {
    if (logFile) appendFileSync(logFile, d);
  });
  child.stderr.on('data', (d: Buffer) => {
    log += d.toString();
    if (logFile) appendFileSync(logFile, d);
  });
  cleanups.push(() => {
    child.kill('SIGTERM');
    return new Promise((r) => child.once('exit', r));
  });
  const calls = async (): Promise<Record<string, number>> => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/berth_autoscaler_api_requests_total\{verb="(\w+)"\} (\d+)/g))
      out[m[1] ?? ''] = Number(m[2]);
    return out;
  };
  let before: Record<string, number> | undefined;
  for (let i = 0; i < 100 && !before; i++) {
    await sleep(300);
    before = await calls().catch(() => undefined);
  }
  if (!before) throw new Error(`the autoscaler did not start:\n${log}`);
  await sleep(10_000);
  before = await calls();
  // RSS every 5 s through the window (one reading depends on where the GC happens to be), the
  // peak since the process started (VmHWM: start-up included) and the CPU time it used idle.
  const status = async (field: string) =>
    Number(
      new RegExp(`${field}:\\s+(\\d+) kB`).exec(
        await readFile(`/proc/${child.pid}/status`, 'utf8'),
      )?.[1],
    ) / 1024;
  const rss = () => status('VmRSS');
  // utime + stime in clock ticks (100 per second on Linux).
  const cpuMs = async () => {
    const f = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const cpuBefore = await cpuMs();
  const samples: number[] = [];
  for (let left = measureMs; left > 0; left -= 5_000) {
    await sleep(Math.min(5_000, left));
    samples.push(await rss());
  }
  const after = await calls();
  const cpuMsPerMin = ((await cpuMs()) - cpuBefore) * (60_000 / measureMs);
  const peakMB = Math.round((await status('VmHWM')) * 10) / 10;
  const rssMB = samples.at(-1) ?? NaN;
  const rssRangeMB = [Math.min(...samples), Math.max(...samples)].map(
    (x) => Math.round(x * 10) / 10,
  );
  const byVerb: Record<string, number> = {};
  for (const [verb, n] of Object.entries(after)) {
    const d = n - (before[verb] ?? 0);
    if (d > 0) byVerb[verb] = (d * 60_000) / measureMs;
  }
  const total = Object.values(byVerb).reduce((a, b) => a + b, 0);
  const writes = log.split('\n').filter((l) => / → \d+ replicas/.test(l)).length;
  console.log(
    `IDLE ${JSON.stringify({ pools: pools.length, rssMB, rssRangeMB, peakMB, cpuMsPerMin, requestsPerMin: total, byVerb, scaleDecisionsDuringIdle: writes, cli: entry[0] === built ? 'dist' : 'tsx' })}`,
  );
} finally {
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
}
