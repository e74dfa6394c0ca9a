import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import { UnavailableError } from './errors.ts';
import { Informer } from './informer.ts';
import { MemoryKube } from './memory/index.ts';

const berth = { fieldManager: 'berth' };
const cm = (name: string, data = '1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'bots', labels: { app: 'x' } },
  data: { v: data },
});
const collection = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bots' };

/** Resolves once `check` holds (the informer works in the background). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(check(), 'condition not reached');
}

async function setup(options: ConstructorParameters<typeof MemoryKube>[0] = {}) {
  const kube = new MemoryKube(options);
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bots' } }, berth);
  return kube;
}

function record(informer: Informer): string[] {
  const log: string[] = [];
  informer.on('add', (o) => log.push(`add ${o.metadata.name}`));
  informer.on('update', (o) => log.push(`update ${o.metadata.name}`));
  informer.on('delete', (o) => log.push(`delete ${o.metadata.name}`));
  informer.on('error', (e) => log.push(`error ${(e as Error).message}`));
  return log;
}

test('lists, then follows adds, updates and deletes; selectors apply', async () => {
  const kube = await setup();
  await kube.apply(cm('a'), berth);
  await kube.apply({ ...cm('other'), metadata: { name: 'other', namespace: 'bots' } }, berth);
  const informer = new Informer(kube, collection, { labelSelector: 'app=x' });
  const log = record(informer);
  await informer.start();
  assert.deepEqual(log, ['add a']);
  await kube.apply(cm('b'), berth);
  await kube.apply(cm('a', '2'), berth);
  await kube.delete({ ...collection, name: 'b' });
  await until(() => log.length === 4);
  assert.deepEqual(log, ['add a', 'add b', 'update a', 'delete b']);
  assert.deepEqual(
    informer.list().map((o) => o.metadata.name),
    ['a'],
  );
  await informer.stop();
});

test('410 Gone: the informer re-lists and reports what changed while it was away', async () => {
  let gate: Promise<void> | undefined;
  let release = (): void => undefined;
  const kube = await setup({
    onCall: async ({ verb }) => {
      if (verb === 'watch' && gate) await gate;
    },
  });
  await kube.apply(cm('a'), berth);
  const informer = new Informer(kube, collection);
  const log = record(informer);
  await informer.start();
  await new Promise((r) => setTimeout(r, 20)); // the first watch is open
  gate = new Promise((r) => (release = r));
  kube.endWatches(); // the server ends the watch; the re-watch waits at the gate
  await new Promise((r) => setImmediate(r));
  await kube.delete({ ...collection, name: 'a' });
  await kube.apply(cm('c'), berth);
  kube.compact(); // history gone: re-watching from the old version is 410
  gate = undefined;
  release();
  await until(() => log.length === 3);
  assert.deepEqual(log, ['add a', 'add c', 'delete a']);
  await informer.stop();
});

test('failures are reported and retried forever with capped back-off (injected sleep)', async () => {
  let failing = 3;
  const kube = await setup({
    onCall: ({ verb }) => {
      if (verb === 'watch' && failing-- > 0) throw new UnavailableError('api down');
    },
  });
  const sleeps: number[] = [];
  const informer = new Informer(kube, collection, {
    backoff: { baseMs: 100, capMs: 250 },
    clock: { now: Date.now, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) },
  });
  const log = record(informer);
  await informer.start();
  await until(() => log.length === 3);
  assert.deepEqual(sleeps, [100, 200, 250]);
  await kube.apply(cm('after'), berth);
  await until(() => log.includes('add after'));
  assert.equal(informer.lastError, undefined, 'cleared once the watch is back');
  await informer.stop();
});

test('a first list that fails rejects start()', async () => {
  const kube = await setup({
    onCall: ({ verb }) => {
      if (verb === 'list') throw new UnavailableError('api down');
    },
  });
  await assert.rejects(new Informer(kube, collection).start(), /api down/);
});

test('a big collection is listed in pages, and the transform shapes listed and watched objects', async () => {
  const calls: { limit?: number; continue?: string }[] = [];
  const kube = await setup();
  const list = kube.list.bind(kube);
  kube.list = (c, options = {}) => {
    calls.push({
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.continue ? { continue: options.continue } : {}),
    });
    return list(c, options);
  };
  for (let i = 0; i < 7; i++) await kube.apply(cm(`c${i}`), berth);
  const informer = new Informer(kube, collection, {
    pageSize: 3,
    transform: (o) => ({ ...o, metadata: { ...o.metadata, annotations: { shaped: 'yes' } } }),
  });
  const log = record(informer);
  await informer.start();
  assert.equal(informer.list().length, 7);
  assert.deepEqual(
    calls.map((c) => [c.limit, c.continue]),
    [
      [3, undefined],
      [3, '3'],
      [3, '6'],
    ],
  );
  assert.equal(log.filter((l) => l.startsWith('add')).length, 7);
  await kube.apply(cm('late'), berth);
  await until(() => informer.get('late', 'bots') !== undefined);
  for (const o of informer.list()) assert.equal(o.metadata.annotations?.shaped, 'yes');
  await informer.stop();
});
