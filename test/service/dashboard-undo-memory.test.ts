// The undo service on MemoryKube: replicas racing to record requests lose none (resourceVersion
// test, retried); the leader carries out the first click and refuses the repeats; the inverse
// (scale back) is written once, through the acting port only; a replica that is not the leader
// never writes through it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeApi } from '../../src/kube/api.ts';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import { UndoService } from '../../src/service/adapters/view-undo.ts';
import { ConfigMapStore, ledgerConfigMap } from '../../src/watchdog/adapters/configmap-store.ts';
import {
  notifyOnlyPolicy,
  type LedgerEntry,
  type Policy,
} from '../../src/watchdog/policy/types.ts';

const ns = 'berth-system';
const policy: Policy = {
  ...notifyOnlyPolicy,
  include: ['bots'],
  actions: [{ action: 'scale', detectors: ['pod-unschedulable'], transientOnly: false }],
};
const target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'bots', name: 'web' };

async function cluster(): Promise<MemoryKube> {
  const kube = new MemoryKube();
  for (const name of [ns, 'bots'])
    await kube.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      { fieldManager: 't' },
    );
  await kube.apply(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'bots' },
      spec: {
        replicas: 5,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'a', image: 'x:1' }] },
        },
      },
    },
    { fieldManager: 't' },
  );
  const entry: LedgerEntry = {
    id: 'wd-s-1',
    at: Date.now() - 60_000,
    fingerprint: 'fp',
    incident: 'FailedScheduling: Deployment bots/web',
    action: {
      action: 'scale',
      target,
      replicas: 5,
      command: 'kubectl -n bots scale deployment/web --replicas=5',
    },
    inverse: { type: 'scale', replicas: 2 },
    status: 'verified',
    result: 'available',
  };
  await new ConfigMapStore<LedgerEntry[]>(kube, ns, ledgerConfigMap, 'entries.json').save([entry]);
  return kube;
}

/** The acting port, counting the writes that went through it and refusing them off-lead. */
function actingPort(kube: KubeApi, leads: () => boolean) {
  const writes: string[] = [];
  const port = new Proxy(kube, {
    get(t, prop, receiver) {
      const value: unknown = Reflect.get(t, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!['apply', 'patch', 'create', 'delete', 'patchScale'].includes(String(prop)))
        return (value as () => unknown).bind(t);
      return (...args: unknown[]) => {
        if (!leads()) return Promise.reject(new Error(`fenced: ${String(prop)}`));
        writes.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
  return { port, writes };
}

test('racing replicas record every request; the leader does the first, refuses the repeats', async () => {
  const kube = await cluster();
  let leading = false;
  const acting = actingPort(kube, () => leading);
  const replica = (identity: string, isLeader: () => boolean) =>
    new UndoService({
      kube,
      actingKube: acting.port,
      namespace: ns,
      policy,
      identity,
      isLeader,
      waitMs: 0,
    });
  const a = replica('berth-0', () => leading);
  const b = replica('berth-1', () => false);
  const ids = await Promise.all([
    a.request('wd-s-1', 'roger'),
    b.request('wd-s-1', 'ada'),
    a.request('wd-s-1', 'roger'),
    b.request('wd-s-1', 'ada'),
  ]);
  assert.equal(new Set(ids.map((r) => r.id)).size, 4, 'distinct ids');
  let requests = await b.requests();
  assert.equal(requests.length, 4, 'no request lost in the race');
  assert.ok(requests.every((r) => r.status === 'pending'));
  assert.deepEqual(acting.writes, [], 'nobody leads: nothing went through the acting port');
  assert.equal((await kube.getScale(target)).replicas, 5);

  assert.equal(await b.process(), 0, 'a standby does not process');
  leading = true;
  assert.equal(await a.process(), 4);
  requests = await b.requests();
  assert.deepEqual(
    requests.map((r) => r.status),
    ['done', 'refused', 'refused', 'refused'],
  );
  assert.match(requests[0]!.result ?? '', /scale Deployment bots\/web back to 2: scaled back to 2/);
  assert.match(requests[1]!.result ?? '', /already undone/);
  assert.equal((await kube.getScale(target)).replicas, 2);
  assert.equal(acting.writes.filter((w) => w === 'patchScale').length, 1, 'the inverse once');
  const [entry] = (await new ConfigMapStore<LedgerEntry[]>(
    kube,
    ns,
    ledgerConfigMap,
    'entries.json',
  ).load())!;
  assert.equal(entry!.status, 'undone');
  assert.match(entry!.result ?? '', new RegExp(`by ${requests[0]!.user} \\(${requests[0]!.id}\\)`));
});

test('a request is refused without a ledger ConfigMap, with the reason', async () => {
  const kube = new MemoryKube();
  const s = new UndoService({ kube, namespace: ns, policy, identity: 'x', isLeader: () => true });
  await assert.rejects(s.request('wd-s-1', 'roger'), /berth-watchdog-ledger does not exist/);
});
