/**
 * The autoscaler's acceptance (issue 9 §5) under `berth serve`: vapora's developer pool, a real
 * nats-server, two serve replicas under tokens of the rendered identity. 60 pending tasks → 5 → 7
 * → 9, each step logged with its reason; NATS stopped → replicas hold, the reason says the depth
 * is unknown, the source-error metric counts; NATS back, 3 of the 9 pods marked busy, the queue
 * drained → one step down at a time, at least the cooldown apart, and the busy pods survive (by
 * name); across all of it exactly one replica wrote /scale, counted in the API server's audit
 * log (each replica has its own token, so the log tells them apart by credential id).
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import type { KubeApi } from '../../src/kube/api.ts';
import type { KubeObject } from '../../src/model/object.ts';
import {
  autoscalerConfigMap,
  type AutoscalerRecords,
} from '../../src/service/adapters/autoscaler.ts';
import { waitFor } from '../support/cluster.ts';
import type { ServerHandle } from '../support/servers.ts';
import { scaleWrites } from '../autoscale/audit.ts';
import { drain, publish } from '../autoscale/support.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  auditedSince,
  leaderOf,
  metricsOf,
  metricSum,
  type RenderedService,
} from './acceptance-support.ts';
import type { ServeProcess } from './serve-support.ts';

export interface AutoscaleContext {
  service: RenderedService;
  procs: readonly ServeProcess[];
  nats: ServerHandle;
  nc: NatsConnection;
  admin: KubeApi;
  /** The sandbox API server's audit log and its size before the replicas started. */
  audit: { file: string; offset: number };
  /** The pool's down cooldown, in seconds. */
  downCooldownSeconds: number;
}

const fast = { timeoutMs: 90_000, intervalMs: 250 };
const BUSY = 'berth.dev/busy';

export async function autoscaleScenario(t: TestContext, x: AutoscaleContext): Promise<void> {
  const ns = x.service.agents;
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'developer' };
  const replicas = async () =>
    (await x.admin.getScale(ref, { deadline: Date.now() + 5_000 })).replicas;
  const at = (n: number) => async () => ((await replicas()) === n ? true : undefined);
  const leader = await leaderOf(x.procs);
  const standby = x.procs.filter((p) => p !== leader);
  const acted = () => leader.lines.filter((l) => !l.includes('(standby: not the leader)'));

  await waitFor('the pool raised to its minimum 5', at(5), fast);
  await publish(x.nc, 60);
  await waitFor('9 replicas (5 → 7 → 9, max 9)', at(9), fast);
  await waitFor(
    'the 7 → 9 step logged',
    () => Promise.resolve(acted().some((l) => / 7 → 9 replicas/.test(l)) ? true : undefined),
    fast,
  );
  const ups = acted().filter((l) => / → \d+ replicas \(\+2/.test(l));
  assert.ok(
    ups.some((l) => /60 pending > 10.*5 → 7 replicas \(\+2, max 9\)/.test(l)),
    ups.join('\n'),
  );
  assert.ok(
    ups.some((l) => /7 → 9 replicas \(\+2, max 9\)/.test(l)),
    ups.join('\n'),
  );

  // NATS goes away: replicas hold, the reason says so, the metric counts the error.
  await x.nats.stop();
  await waitFor(
    'a hold on the unknown depth',
    () =>
      Promise.resolve(
        leader.lines.some((l) => /queue depth unknown \(nats VAPORA_TASKS\/developer/.test(l))
          ? true
          : undefined,
      ),
    fast,
  );
  await sleep(5_000);
  assert.equal(await replicas(), 9, 'held while the metric is unknown');
  const held = await metricsOf(leader);
  assert.match(
    held,
    /berth_autoscaler_source_errors_total\{pool="developer",source="nats"\} [1-9]/,
  );
  assert.match(held, /berth_autoscaler_queue_depth_known\{pool="developer"\} 0/);

  // NATS is back (same store); 3 of the 9 pods are busy; the queue drained: one step down at a
  // time, at least the cooldown apart, only idle pods removed.
  await x.nats.start();
  const running = async (): Promise<KubeObject[]> =>
    (await x.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns })).items.filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        (p.status as { phase?: string } | undefined)?.phase === 'Running',
    );
  const nine = await waitFor(
    '9 running pods',
    async () => {
      const pods = await running();
      return pods.length === 9 ? pods : undefined;
    },
    fast,
  );
  const busy = nine.slice(0, 3).map((p) => p.metadata.name);
  for (const name of busy)
    await x.admin.patch(
      { apiVersion: 'v1', kind: 'Pod', namespace: ns, name },
      { metadata: { annotations: { [BUSY]: 'true' } } },
      { type: 'merge', fieldManager: 'agent', deadline: Date.now() + 5_000 },
    );
  const fresh = await connect({ servers: x.nats.url });
  t.after(() => fresh.close());
  let drained = 0;
  await waitFor(
    'the queue drained (JetStream back after the restart)',
    async () => {
      drained += await drain(fresh);
      return drained >= 60 ? true : undefined;
    },
    fast,
  );
  assert.equal(drained, 60);
  await waitFor(
    'back to the minimum 5, with 5 running pods',
    async () => ((await replicas()) === 5 && (await running()).length === 5 ? true : undefined),
    { ...fast, timeoutMs: 120_000 },
  );
  const downs = acted().filter((l) => / → \d+ replicas \(−/.test(l));
  assert.deepEqual(
    downs.map((l) => /(\d+) → (\d+) replicas/.exec(l)?.slice(1).join('→')),
    ['9→8', '8→7', '7→6', '6→5'],
    downs.join('\n'),
  );
  // The cooldown holds between decisions: their times are the events the service keeps in the
  // cluster (ConfigMap berth-service-autoscaler), not the log lines, written after each /scale
  // write (whose latency varies under load).
  const keptDowns = async () => {
    const cm = await x.admin.get(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: x.service.svc, name: autoscalerConfigMap },
      { deadline: Date.now() + 5_000 },
    );
    const text = (cm as { data?: Record<string, string> } | undefined)?.data?.['decisions.json'];
    const records = JSON.parse(text ?? '{}') as AutoscalerRecords;
    return (records.developer?.events ?? []).filter((e) => e.to < e.from);
  };
  // Kept after each write, asynchronously: the last one may land a moment after the scaling.
  const stepsDown = await waitFor(
    'the four steps down kept in the cluster',
    async () => {
      const got = await keptDowns();
      return got.length >= 4 ? got : undefined;
    },
    { timeoutMs: 15_000 },
  );
  assert.deepEqual(
    stepsDown.map((e) => `${e.from}→${e.to}`),
    ['9→8', '8→7', '7→6', '6→5'],
    JSON.stringify(stepsDown),
  );
  for (let i = 1; i < stepsDown.length; i++)
    assert.ok(
      stepsDown[i]!.at - stepsDown[i - 1]!.at >= x.downCooldownSeconds * 1000,
      `steps ${i - 1}/${i} respect the ${x.downCooldownSeconds} s cooldown: ${JSON.stringify(stepsDown)}`,
    );
  t.diagnostic(
    `leader ${leader.identity}: ${[...ups, ...downs].map((l) => l.slice(25)).join(' | ')}`,
  );
  const left = new Set((await running()).map((p) => p.metadata.name));
  for (const name of busy) assert.ok(left.has(name), `busy pod ${name} survived`);

  // Two replicas: exactly one wrote /scale, by the API server's count and by their metrics.
  const scaled = auditedSince(x.audit.file, x.audit.offset, (f, o) =>
    scaleWrites(f, o, ns, 'developer'),
  );
  const who = [...new Set(scaled.map((w) => w.identity))];
  t.diagnostic(`/scale writes in the audit log: ${scaled.length} by ${who.join(', ')}`);
  assert.ok(scaled.length >= 6, `the audit log has the ups and downs: ${JSON.stringify(scaled)}`);
  assert.ok(
    who.every((w) => w.startsWith(`${x.service.user} (JTI=`)),
    `each write names the rendered ServiceAccount and its token: ${who.join(', ')}`,
  );
  assert.equal(
    who.length,
    1,
    `exactly one replica's token wrote deployments/scale: ${who.join(', ')}`,
  );
  assert.ok(metricSum(await metricsOf(leader), 'berth_autoscaler_scale_writes_total') >= 6);
  for (const p of standby) {
    const text = await metricsOf(p);
    assert.equal(metricSum(text, 'berth_autoscaler_scale_writes_total'), 0, p.identity);
    assert.equal(metricSum(text, 'berth_service_leader'), 0, `${p.identity} is a standby`);
  }
}
