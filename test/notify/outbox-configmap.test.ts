/**
 * The ConfigMap outbox store on MemoryKube: round trip, field manager, two writers racing
 * (neither loses a message), settling only removes what was settled, the size bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryKube } from '../../src/kube/memory/index.ts';
import { ConfigMapOutboxStore } from '../../src/notify/outbox/configmap-store.ts';
import { mergeOutbox } from '../../src/notify/outbox/merge.ts';
import { emptyOutbox, enqueue, settle, type OutboxState } from '../../src/notify/outbox/state.ts';
import type { Notification } from '../../src/notify/types.ts';

const ns = 'berth-system';
const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'berth-watchdog-outbox' };

function note(id: string): Notification {
  return {
    id,
    status: 'firing',
    severity: 'warning',
    title: `t ${id}`,
    text: 'x',
    source: 'test',
    at: '2026-12-02T12:00:00Z',
  };
}

function add(s: OutboxState, id: string): OutboxState {
  return enqueue(s, note(id), ['slack'], 1000).state;
}

const ids = (s: OutboxState | undefined): string[] =>
  (s?.pending ?? []).map((e) => e.notification.id).sort();

async function cluster(onCall?: () => Promise<void>): Promise<MemoryKube> {
  const kube = new MemoryKube({ onCall: onCall ? () => onCall() : undefined });
  await kube.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { fieldManager: 'test' },
  );
  return kube;
}

test('saves into a ConfigMap as berth-watchdog and loads it back in another store', async () => {
  const kube = await cluster();
  const a = new ConfigMapOutboxStore(kube, { namespace: ns });
  assert.equal(await a.load(), undefined);
  await a.save(add(add(emptyOutbox(), 'm1'), 'm2'));
  const cm = await kube.get(ref);
  const managers = (cm?.metadata.managedFields as { manager: string }[]).map((m) => m.manager);
  assert.deepEqual([...new Set(managers)], ['berth-watchdog']);
  assert.deepEqual(ids(await new ConfigMapOutboxStore(kube, { namespace: ns }).load()), [
    'm1',
    'm2',
  ]);
});

test('two writers from the same view: the second merges instead of overwriting', async () => {
  const kube = await cluster();
  const a = new ConfigMapOutboxStore(kube, { namespace: ns });
  const b = new ConfigMapOutboxStore(kube, { namespace: ns });
  await a.load();
  await b.load();
  await a.save(add(emptyOutbox(), 'from-a'));
  await b.save(add(emptyOutbox(), 'from-b'));
  assert.deepEqual(ids(await a.load()), ['from-a', 'from-b']);
});

test('a write landing between read and write is a conflict: retried, nothing lost', async () => {
  let other: (() => Promise<void>) | undefined;
  let calls = 0;
  const kube = await cluster(async () => {
    // Interleave the other writer once, right after B's first read (B's 2nd call).
    calls++;
    if (calls === 2 && other) {
      const run = other;
      other = undefined;
      await run();
    }
  });
  const a = new ConfigMapOutboxStore(kube, { namespace: ns });
  const b = new ConfigMapOutboxStore(kube, { namespace: ns });
  await a.save(add(emptyOutbox(), 'first'));
  await b.load();
  await a.load();
  other = () => a.save(add(add(emptyOutbox(), 'first'), 'racing-a'));
  calls = 0;
  await b.save(add(add(emptyOutbox(), 'first'), 'racing-b'));
  assert.ok(b.conflicts >= 1, 'B saw the conflict');
  assert.deepEqual(ids(await a.load()), ['first', 'racing-a', 'racing-b']);
});

test('settling removes only what this writer settled; the delivered count adds up', async () => {
  const kube = await cluster();
  const a = new ConfigMapOutboxStore(kube, { namespace: ns });
  const b = new ConfigMapOutboxStore(kube, { namespace: ns });
  const mine = add(emptyOutbox(), 'a1');
  await a.save(mine);
  await b.load();
  await b.save(add((await new ConfigMapOutboxStore(kube, { namespace: ns }).load())!, 'b1'));
  const delivered = settle(mine, mine.pending[0]!.seq, { outcome: 'delivered', status: 200 }, 2000);
  await a.save(delivered);
  const stored = await a.load();
  assert.deepEqual(ids(stored), ['b1']);
  assert.equal(stored?.delivered, 1);
});

test('merge: an id another writer already accepted is not queued twice', () => {
  const theirs = add(emptyOutbox(), 'same');
  const merged = mergeOutbox(emptyOutbox(), add(emptyOutbox(), 'same'), theirs);
  assert.deepEqual(ids(merged), ['same']);
});

test('bounded: dead entries go first; undelivered messages are never dropped', async () => {
  const kube = await cluster();
  const store = new ConfigMapOutboxStore(kube, { namespace: ns, maxBytes: 1500 });
  let s = emptyOutbox();
  for (let i = 0; i < 6; i++) {
    s = add(s, `dead${i}`);
    s = settle(s, s.pending[0]!.seq, { outcome: 'rejected', status: 400, error: 'bad' }, 5);
  }
  s = add(s, 'keep');
  await store.save(s);
  const stored = await store.load();
  assert.deepEqual(ids(stored), ['keep']);
  assert.ok((stored?.dead.length ?? 0) < 6, 'oldest dead entries dropped');
  let big = emptyOutbox();
  for (let i = 0; i < 20; i++) big = add(big, `p${i}`);
  await assert.rejects(store.save(big), /exceed the outbox bound \(1500 bytes\)/);
  assert.deepEqual(ids(await store.load()), ['keep'], 'the refused save wrote nothing');
});
