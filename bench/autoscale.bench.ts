// Autoscaler benchmark on the sandbox with a real nats-server (issue 9 §6): time from the queue
// crossing the threshold to the Deployment's spec.replicas changing, up and down, p50/p95 over
// 20 trials each (the default detection path: 2 s polls, no up window, 2 s down window; the
// cooldowns are set to 1 s so that one trial does not wait out the previous one's; a random pause
// puts each crossing anywhere in the poll period); then the
// controller idle with vapora's 12 pools: RSS and API requests per minute (autoscale-idle.ts).
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';
import { report } from './measure.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import {
  adminApi,
  deployDeveloper,
  natsQueue,
  publish,
  replicasOf,
  startAutoscaler,
  suffix,
  vapora,
} from '../test/autoscale/support.ts';
import { startNats } from '../test/support/servers.ts';

const trials = Number(process.env.BERTH_BENCH_TRIALS ?? 20);
const kubeconfig =
  process.env.BERTH_BENCH_KUBECONFIG ??
  process.env.BERTH_TEST_KUBECONFIG ??
  (await startSandbox({ log: (l) => console.log(`  sandbox: ${l}`) })).kubeconfig;
process.env.BERTH_TEST_KUBECONFIG = kubeconfig;

const cleanups: (() => unknown)[] = [];
const cleanup = { after: (fn: () => unknown) => void cleanups.push(fn) };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

try {
  const ws = await vapora(suffix(), (p) => {
    p.spec.minReplicas = 2;
    p.spec.maxReplicas = 3;
    p.spec.scaling.up.cooldownSeconds = 1;
    p.spec.scaling.down.cooldownSeconds = 1;
  });
  await deployDeveloper(cleanup, ws);
  const nats = await startNats(cleanup);
  const nc = await natsQueue(cleanup, nats.url);
  const admin = await adminApi(cleanup);
  const scaler = await startAutoscaler(cleanup, ws, { natsUrl: nats.url, identity: 'bench' });
  const until = async (n: number, from: number): Promise<number> => {
    for (;;) {
      if ((await replicasOf(admin, ws)) === n) return performance.now() - from;
      if (performance.now() - from > 60_000) throw new Error(`no change to ${n} within 60 s`);
      await sleep(50);
    }
  };
  await until(2, performance.now());
  const consumer = await jetstream(nc).consumers.get('VAPORA_TASKS', 'developer');
  const up: number[] = [];
  const down: number[] = [];
  // What each scale-down is made of (controller clock, ms): drain → first reading below the
  // threshold (poll phase + read), → the decision (the down window), → spec.replicas seen here.
  const parts: { detect: number; window: number; write: number }[] = [];
  const downParts = (drained: number, seen: number) => {
    const e = scaler.controller.explain('developer');
    const low = e?.samples.find((x) => x.at >= drained && x.depth !== undefined && x.depth < 2);
    const act = e?.decisions.find((d) => d.at >= drained && d.acted && d.action === 'down');
    if (low && act)
      parts.push({ detect: low.at - drained, window: act.at - low.at, write: seen - act.at });
  };
  // A random pause before each crossing, so crossings fall anywhere in the 2 s poll period.
  const jitter = () => sleep(Math.random() * 2_000);
  for (let i = 0; i < trials; i++) {
    await jitter();
    await publish(nc, 11);
    up.push(await until(3, performance.now()));
    await sleep(1_500);
    await jitter();
    let acked = 0;
    while (acked < 11) {
      const batch = await consumer.fetch({ max_messages: 11 - acked, expires: 2_000 });
      for await (const m of batch) {
        await m.ackAck();
        acked++;
      }
    }
    const drained = Date.now();
    down.push(await until(2, performance.now()));
    downParts(drained, Date.now());
    await sleep(1_500);
    console.log(
      `  trial ${i + 1}: up ${Math.round(up[i] ?? 0)} ms, down ${Math.round(down[i] ?? 0)} ms`,
    );
  }
  const figure = (metric: string, value: number, target: string, peerValue: number) =>
    report({
      suite: 'autoscale',
      metric,
      unit: 'ms',
      berth: Math.round(value),
      peer: 'KEDA defaults, from its documented intervals, not measured (30 s polling + 15 s HPA sync up; 300 s stabilization down)',
      peerValue,
      target,
    });
  figure(
    `threshold crossed → spec.replicas up, p50 of ${trials}`,
    pct(up, 50),
    'p95 < 5 s',
    45_000,
  );
  figure(
    `threshold crossed → spec.replicas up, p95 of ${trials}`,
    pct(up, 95),
    'p95 < 5 s',
    45_000,
  );
  figure(
    `threshold crossed → spec.replicas down, p50 of ${trials}`,
    pct(down, 50),
    'p95 < 5 s',
    300_000,
  );
  figure(
    `threshold crossed → spec.replicas down, p95 of ${trials}`,
    pct(down, 95),
    'p95 < 5 s',
    300_000,
  );
  const med = (k: keyof (typeof parts)[number]) =>
    Math.round(
      pct(
        parts.map((x) => x[k]),
        50,
      ),
    );
  const p95 = (k: keyof (typeof parts)[number]) =>
    Math.round(
      pct(
        parts.map((x) => x[k]),
        95,
      ),
    );
  console.log(
    `  down made of (p50 / p95 ms, ${parts.length} trials): drain → first low reading ${med('detect')} / ${p95('detect')}, → decision ${med('window')} / ${p95('window')}, → replicas seen ${med('write')} / ${p95('write')}; load ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`,
  );
} finally {
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
}

// BERTH_BENCH_AUTOSCALE_IDLE=0 skips the idle minute (latency trials only).
const idle =
  process.env.BERTH_BENCH_AUTOSCALE_IDLE === '0'
    ? undefined
    : spawnSync(
        process.execPath,
        ['--import', 'tsx', '--expose-gc', join(import.meta.dirname, 'autoscale-idle.ts')],
        {
          encoding: 'utf8',
          env: { ...process.env, BERTH_TEST_KUBECONFIG: kubeconfig },
          timeout: 240_000,
        },
      );
const line = idle?.stdout.split('\n').find((l) => l.startsWith('IDLE '));
if (idle && !line) {
  console.log(`autoscale-idle failed (${idle.status}):\n${idle.stdout}\n${idle.stderr}`);
  process.exitCode = 1;
} else if (line) {
  const r = JSON.parse(line.slice(5)) as {
    cli: string;
    pools: number;
    rssMB: number;
    rssRangeMB?: [number, number];
    peakMB?: number;
    cpuMsPerMin?: number;
    requestsPerMin: number;
    byVerb: Record<string, number>;
  };
  console.log(`  idle: ${JSON.stringify(r)}`);
  report({
    suite: 'autoscale',
    metric: `berth autoscale run (${r.cli === 'dist' ? 'built CLI' : 'CLI through tsx'}) RSS, idle, ${r.pools} pools, end of the minute${r.rssRangeMB ? ` (${r.rssRangeMB[0]}-${r.rssRangeMB[1]} MB through it)` : ''}`,
    unit: 'MB',
    berth: Math.round(r.rssMB * 10) / 10,
    target: '< 80 MB',
  });
  if (r.peakMB !== undefined)
    report({
      suite: 'autoscale',
      metric: `berth autoscale run RSS peak since start (VmHWM: start-up included), ${r.pools} pools`,
      unit: 'MB',
      berth: r.peakMB,
      target: '< 80 MB',
    });
  if (r.cpuMsPerMin !== undefined)
    report({
      suite: 'autoscale',
      metric: `berth autoscale run CPU time per minute, idle, ${r.pools} pools`,
      unit: 'ms',
      berth: Math.round(r.cpuMsPerMin),
    });
  report({
    suite: 'autoscale',
    metric: `API requests per minute beyond the watches, idle, ${r.pools} pools (${
      Object.entries(r.byVerb)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    })`,
    unit: 'req/min',
    berth: Math.round(r.requestsPerMin * 10) / 10,
    target: 'none beyond its watches and /scale writes (issue 9)',
  });
}
