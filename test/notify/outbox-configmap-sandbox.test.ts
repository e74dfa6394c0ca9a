/**
 * The ConfigMap outbox on a real API server: a write landing between a store's read and its
 * conditional write (JSON-patch `test` of the resourceVersion) is detected, retried and merged,
 * so neither writer's message is lost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeApi } from '../../src/kube/api.ts';
import { connectKube } from '../../src/kube/connect.ts';
import { ConfigMapOutboxStore } from '../../src/notify/outbox/configmap-store.ts';
import { emptyOutbox, enqueue, type OutboxState } from '../../src/notify/outbox/state.ts';
import { testKubeconfig, testNamespace } from '../support/cluster.ts';

function add(s: OutboxState, id: string): OutboxState {
  return enqueue(
    s,
    {
      id,
      status: 'info',
      severity: 'info',
      title: id,
      text: id,
      source: 't',
      at: '2026-12-02T00:00:00Z',
    },
    ['slack'],
    1,
  ).state;
}

test('outbox ConfigMap on the sandbox: a racing writer is detected and merged', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'notify-outbox' });
  const kube = await connectKube({ kubeconfig: testKubeconfig() });
  t.after(() => kube.close());
  const a = new ConfigMapOutboxStore(kube, { namespace });
  await a.save(add(emptyOutbox(), 'first'));
  await a.load();
  // B's view of the port: right after B's first read, A writes.
  let race: (() => Promise<void>) | undefined;
  const racy = new Proxy(kube, {
    get(target, prop, receiver) {
      if (prop !== 'get') return Reflect.get(target, prop, receiver) as unknown;
      return async (...args: Parameters<KubeApi['get']>) => {
        const result = await target.get(...args);
        const run = race;
        race = undefined;
        if (run) await run();
        return result;
      };
    },
  });
  const b = new ConfigMapOutboxStore(racy, { namespace });
  await b.load();
  race = () => a.save(add(add(emptyOutbox(), 'first'), 'racing-a'));
  await b.save(add(add(emptyOutbox(), 'first'), 'racing-b'));
  assert.ok(b.conflicts >= 1, 'the real server refused the stale write');
  const stored = await new ConfigMapOutboxStore(kube, { namespace }).load();
  assert.deepEqual(stored?.pending.map((e) => e.notification.id).sort(), [
    'first',
    'racing-a',
    'racing-b',
  ]);
});
