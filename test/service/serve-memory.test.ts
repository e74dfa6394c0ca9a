// `serve()` assembled on the memory port: two replicas, one leads and alone notifies (a fake
// Discord records it once); /readyz, /metrics (leader gauge, detections, notifications); the
// leader hands the lease back on stop and the other takes over without sending the message again;
// the ledger, state and outbox are ConfigMaps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import { systemClock } from '../../src/kube/http/transport.ts';
import { parseTarget } from '../../src/notify/targets.ts';
import { serve, type RunningServe } from '../../src/service/adapters/serve.ts';
import { defaultConfig } from '../../src/watchdog/config.ts';
import { startFakeChat } from '../support/fake-chat.ts';
import { crashingPod, until } from './memory-support.ts';

const ns = 'bots';

test(
  'serve on the memory port: one leader notifies once; hand-over without a repeat',
  { timeout: 60_000 },
  async (t) => {
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
    const chat = await startFakeChat();
    t.after(() => chat.close());
    const lines: string[] = [];
    const start = (identity: string) =>
      serve({
        api: kube,
        identity,
        namespace: 'berth-system',
        leaseSeconds: 3,
        clock: systemClock,
        config: { ...defaultConfig, metricsIntervalMs: 60_000 },
        targets: [parseTarget(`discord=${chat.discordWebhookUrl}`, {})],
        http: { host: '127.0.0.1', port: 0, auth: {} },
        version: 'test',
        // The memory port answers the self-review with every power.
        allowExcessPower: true,
        log: (l) => lines.push(`${identity} ${l}`),
      });
    const a = await start('a');
    const b = await start('b');
    const all: RunningServe[] = [a, b];
    assert.ok(a.excess.some((e) => e.id === 'wildcard-verb'));
    assert.ok(lines.some((l) => l.startsWith('a excess power (allowed by flag): wildcard-verb')));
    t.after(async () => {
      for (const r of all) await r.stop().catch(() => undefined);
    });
    const leader = await until('a leader', () => all.find((r) => r.isLeader()), 10_000);
    const standby = leader === a ? b : a;
    assert.equal(standby.isLeader(), false);
    const ready = await fetch(`${leader.url}/readyz`);
    assert.equal(ready.status, 200);

    await kube.apply(crashingPod('clovis-x'), { fieldManager: 'test' });
    const [message] = await chat.waitForMessages(1, { timeoutMs: 15_000 });
    assert.match(JSON.stringify(message?.body), /clovis/);
    const metrics = await (await fetch(`${leader.url}/metrics`)).text();
    assert.match(metrics, /^berth_service_leader 1$/m);
    assert.match(metrics, /berth_watchdog_detections_total\{detector="pod-restart-loop"\} [1-9]/);
    assert.match(
      metrics,
      /berth_notifications_total\{target="discord-webhook-[0-9a-f]+",result="delivered"\} 1/,
    );
    assert.match(await (await fetch(`${standby.url}/metrics`)).text(), /^berth_service_leader 0$/m);

    // The dashboard, on the standby too: the incident from the state in the cluster, the leader.
    const page = await (await fetch(`${standby.url}/`)).text();
    assert.match(page, /clovis/);
    assert.match(page, new RegExp(`leader[^<]*${leader === a ? 'a' : 'b'}`));
    // Schedules: the runner's last runs are wired (before the first firing: "not yet", where a
    // page given no runs says "not recorded").
    assert.match(page, /not yet/);
    assert.doesNotMatch(page, /not recorded/);

    // State in the cluster.
    for (const name of ['berth-watchdog-state', 'berth-watchdog-outbox'])
      assert.ok(
        await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'berth-system', name }),
        name,
      );

    // SIGTERM path: the leader stops acting, flushes, hands the lease back; the other leads.
    await leader.stop();
    all.splice(all.indexOf(leader), 1);
    await until('takeover', () => (standby.isLeader() ? true : undefined), 10_000);
    // The new leader's first pass sees the incident open in the cluster: no second message.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(chat.messages('discord-webhook').length, 1, lines.join('\n'));
  },
);

test(
  'serve on the memory port: a leader cut off from its Lease stops acting before the other starts',
  { timeout: 60_000 },
  async (t) => {
    const kube = new MemoryKube();
    await kube.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'berth-system' } },
      { fieldManager: 'test' },
    );
    // Replica "a" reaches everything but the Lease: it cannot renew, and must notice by itself.
    let cut = false;
    const partitioned = new Proxy(kube, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const ref = args[0] as { kind?: string } | undefined;
          if (cut && ref?.kind === 'Lease')
            return Promise.reject(new Error('connection refused (test partition)'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const events: { at: number; line: string }[] = [];
    const start = (identity: string, api: typeof kube) =>
      serve({
        api,
        identity,
        namespace: 'berth-system',
        leaseSeconds: 3,
        clock: systemClock,
        config: { ...defaultConfig, metricsIntervalMs: 60_000 },
        targets: [],
        http: { host: '127.0.0.1', port: 0, auth: {} },
        version: 'test',
        allowExcessPower: true,
        log: (line) => events.push({ at: Date.now(), line: `${identity} ${line}` }),
      });
    const a = await start('a', partitioned);
    await until('a leads', () => (a.isLeader() ? true : undefined), 10_000);
    const b = await start('b', kube);
    t.after(async () => {
      for (const r of [a, b]) await r.stop().catch(() => undefined);
    });
    cut = true;
    await until('b leads', () => (b.isLeader() ? true : undefined), 15_000);
    const stopped = events.find(
      (e) => e.line === 'a watchdog: standby (no remediation, no notification)',
    );
    const started = events.filter((e) => e.line.startsWith('b watchdog: acting')).at(-1);
    assert.ok(stopped && started, events.map((e) => e.line).join('\n'));
    assert.ok(stopped.at < started.at, `a stopped at ${stopped.at}, b started at ${started.at}`);
    assert.equal(a.isLeader(), false);
    // a's writes are refused from now on.
    await assert.rejects(
      a.watchdog.undoLedger().update('wd-x', { status: 'undone' }),
      /does not hold a fresh leader lease/,
    );
    assert.match(await (await fetch(`${a.url}/metrics`)).text(), /^berth_service_leader 0$/m);
  },
);
