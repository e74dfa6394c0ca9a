// Child of autoscale.bench.ts: berth's autoscaler idle with vapora's 12 pools (queues empty, pools
// at their minimum) on the sandbox; prints one JSON line with its RSS and API requests per minute.
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager, AckPolicy } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { runAutoscaler } from '../src/autoscale/adapters/run.ts';
import { berthPools, policyOf } from '../src/autoscale/pools.ts';
import { adminApi, deployDeveloper, vapora, suffix } from '../test/autoscale/support.ts';
import { startNats, startRedis } from '../test/support/servers.ts';

const cleanups: (() => unknown)[] = [];
const cleanup = { after: (fn: () => unknown) => void cleanups.push(fn) };
const measureMs = Number(process.env.BERTH_BENCH_IDLE_MS ?? 60_000);
try {
  const ws = await vapora(suffix());
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

  const counts = new Map<string, number>();
  let counting = false;
  const api = admin;
  const counted = new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (counting) counts.set(String(prop), (counts.get(String(prop)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const lines: string[] = [];
  const running = await runAutoscaler({
    api: counted,
    ws,
    endpoints: { nats: nats.url, redis: redis.url },
    identity: 'bench-idle',
    listen: { host: '127.0.0.1', port: 0 },
    log: (l) => lines.push(l),
  });
  cleanups.push(() => running.stop());
  await sleep(10_000);
  counting = true;
  await sleep(measureMs);
  counting = false;
  global.gc?.();
  const rssMB = process.memoryUsage().rss / 1024 / 1024;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const writes = lines.filter((l) => / → \d+ replicas/.test(l) && !/standby/.test(l)).length;
  console.log(
    `IDLE ${JSON.stringify({ pools: pools.length, rssMB, requestsPerMin: (total * 60_000) / measureMs, byVerb: Object.fromEntries(counts), scaleDecisionsDuringIdle: writes })}`,
  );
} finally {
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
}
