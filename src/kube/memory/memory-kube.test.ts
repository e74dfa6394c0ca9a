import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../model/object.ts';
import { managedFieldsOf } from '../../model/managed-fields.ts';
import type { WatchEvent } from '../api.ts';
import {
  AlreadyExistsError,
  ConflictError,
  GoneError,
  NotFoundError,
  TimeoutError,
  UnknownKindError,
} from '../errors.ts';
import { MemoryKube } from './memory-kube.ts';

const berth = { fieldManager: 'berth' };
const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bots' } };

function deployment(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'bots', labels: { app: 'api' } },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'api', image: 'api:1' }] },
      },
      ...extra,
    },
  };
}
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'bots', name: 'api' };

async function withNamespace(): Promise<MemoryKube> {
  const kube = new MemoryKube({ now: () => Date.UTC(2026, 0, 1) });
  await kube.apply(ns, berth);
  return kube;
}

test('apply creates, a second identical apply changes nothing', async () => {
  const kube = await withNamespace();
  const first = await kube.apply(deployment({ replicas: 2 }), berth);
  assert.equal(first.created, true);
  assert.equal(first.object.metadata.generation, 1);
  const again = await kube.apply(deployment({ replicas: 2 }), berth);
  assert.equal(again.created, false);
  assert.equal(again.object.metadata.resourceVersion, first.object.metadata.resourceVersion);
  const changed = await kube.apply(deployment({ replicas: 3 }), berth);
  assert.equal(changed.object.metadata.generation, 2);
  assert.notEqual(changed.object.metadata.resourceVersion, first.object.metadata.resourceVersion);
});

test('a namespaced object needs its namespace; unknown kinds are refused', async () => {
  const kube = new MemoryKube();
  await assert.rejects(kube.apply(deployment(), berth), NotFoundError);
  await assert.rejects(
    kube.apply({ apiVersion: 'x.dev/v1', kind: 'Widget', metadata: { name: 'w' } }, berth),
    UnknownKindError,
  );
});

test('replicas left out are defaulted to 1 and owned by nobody', async () => {
  const kube = await withNamespace();
  const { object } = await kube.apply(deployment(), berth);
  assert.equal((object.spec as { replicas: number }).replicas, 1);
  const berthFields = JSON.stringify(managedFieldsOf(object)[0]?.fieldsV1);
  assert.doesNotMatch(berthFields, /replicas/);
});

test('a field another manager owns with another value conflicts; force takes it back', async () => {
  const kube = await withNamespace();
  await kube.apply(deployment({ replicas: 2 }), berth);
  await kube.patch(ref, { spec: { replicas: 5 } }, { type: 'merge', fieldManager: 'kubectl-edit' });
  const error = await kube.apply(deployment({ replicas: 2 }), berth).catch((e: unknown) => e);
  assert.ok(error instanceof ConflictError);
  assert.deepEqual(
    error.causes.map((c) => [c.field, c.message]),
    [['.spec.replicas', 'conflict with "kubectl-edit" using apps/v1']],
  );
  const forced = await kube.apply(deployment({ replicas: 2 }), { ...berth, force: true });
  assert.equal((forced.object.spec as { replicas: number }).replicas, 2);
  const managers = managedFieldsOf(forced.object).map((e) => e.manager);
  assert.deepEqual(managers, ['berth'], 'kubectl-edit lost its only field');
});

test('a field the applier stops declaring is removed unless another manager owns it', async () => {
  const kube = await withNamespace();
  await kube.apply(deployment({ replicas: 3, minReadySeconds: 5 }), berth);
  await kube.apply(
    { ...deployment(), spec: { replicas: 3 } },
    {
      fieldManager: 'berth-replicas',
    },
  );
  const { object } = await kube.apply(deployment(), berth);
  const spec = object.spec as { replicas?: number; minReadySeconds?: number };
  assert.equal(spec.minReadySeconds, undefined, 'released and removed');
  assert.equal(spec.replicas, 3, 'still owned by berth-replicas');
});

test('/scale: an autoscaler scales without touching berth fields, berth does not fight it', async () => {
  const kube = await withNamespace();
  await kube.apply(deployment(), berth);
  const scaled = await kube.patchScale(ref, 4, { fieldManager: 'berth-autoscaler' });
  assert.equal(scaled.replicas, 4);
  assert.equal(scaled.selector, 'app=api');
  const { object } = await kube.apply(deployment(), berth);
  assert.equal((object.spec as { replicas: number }).replicas, 4);
  await assert.rejects(
    kube.patchScale(ref, 2, { fieldManager: 'x', resourceVersion: '1' }),
    ConflictError,
  );
});

test('list and watch with selectors; watch replays from a version; compaction means Gone', async () => {
  const kube = await withNamespace();
  const cm = (name: string, tier: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'bots', labels: { tier } },
  });
  await kube.apply(cm('a', 'web'), berth);
  const listed = await kube.list(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bots' },
    { labelSelector: 'tier in (web,db)', fieldSelector: 'metadata.name!=zzz' },
  );
  assert.deepEqual(
    listed.items.map((i) => i.metadata.name),
    ['a'],
  );
  await kube.apply(cm('b', 'db'), berth);
  await kube.apply(cm('c', 'web'), berth);
  const seen: WatchEvent[] = [];
  const abort = new AbortController();
  const watching = (async () => {
    for await (const e of kube.watch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bots' },
      { resourceVersion: listed.resourceVersion, labelSelector: 'tier=web', signal: abort.signal },
    )) {
      seen.push(e);
      if (seen.length === 3) abort.abort();
    }
  })();
  await kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bots', name: 'a' });
  kube.bookmark();
  await watching;
  assert.deepEqual(
    seen.map((e) => `${e.type} ${e.object.metadata.name}`),
    ['ADDED c', 'DELETED a', 'BOOKMARK '],
  );
  kube.compact();
  const gone = (async () => {
    for await (const _ of kube.watch(
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { resourceVersion: listed.resourceVersion },
    ))
      break;
  })();
  await assert.rejects(gone, GoneError);
});

test('deleting a namespace deletes its objects; finalizers hold a deletion', async () => {
  const kube = await withNamespace();
  await kube.apply(deployment(), berth);
  const held: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'held', namespace: 'bots', finalizers: ['x.dev/hold'] },
  };
  await kube.apply(held, berth);
  const cmRef = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bots', name: 'held' };
  assert.equal(await kube.delete(cmRef), true);
  assert.ok((await kube.get(cmRef))?.metadata.deletionTimestamp);
  await kube.patch(cmRef, { metadata: { finalizers: null } }, { type: 'merge', fieldManager: 'x' });
  assert.equal(await kube.get(cmRef), undefined);
  await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'bots' });
  assert.equal(await kube.get(ref), undefined);
  assert.equal(await kube.delete(ref), false);
});

test('create: generateName, AlreadyExists, TokenRequest and access reviews', async () => {
  const kube = await withNamespace();
  const made = await kube.create(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'run-', namespace: 'bots' } },
    berth,
  );
  assert.match(made.metadata.name, /^run-/);
  await assert.rejects(
    kube.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: made.metadata }, berth),
    AlreadyExistsError,
  );
  await kube.apply(
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'bots' } },
    berth,
  );
  const token = await kube.create(
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 600 },
    },
    {
      ...berth,
      subresourceOf: {
        ref: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'bots', name: 'sa' },
        subresource: 'token',
      },
    },
  );
  assert.match(String((token.status as { token: string }).token), /^memory-token\.bots\.sa/);
  const review = await kube.create(
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: 'bots' },
    },
    berth,
  );
  assert.equal((review.status as { incomplete: boolean }).incomplete, false);
});

test('patches: json and strategic; status writes do not bump the generation', async () => {
  const kube = await withNamespace();
  await kube.apply(deployment(), berth);
  const patched = await kube.patch(
    ref,
    [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'api:2' }],
    { type: 'json', fieldManager: 'berth-watchdog' },
  );
  assert.equal(patched.metadata.generation, 2);
  const strategic = await kube.patch(
    ref,
    { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 's:1' }] } } } },
    { type: 'strategic', fieldManager: 'x' },
  );
  const containers = (strategic.spec as { template: { spec: { containers: unknown[] } } }).template
    .spec.containers;
  assert.equal(containers.length, 2);
  const status = await kube.patch(
    ref,
    { status: { readyReplicas: 1 } },
    { type: 'merge', fieldManager: 'kube-controller-manager', subresource: 'status' },
  );
  assert.equal(status.metadata.generation, 3);
  assert.deepEqual(status.status, { readyReplicas: 1 });
});

test('an aborted signal or a passed deadline fails the call before it runs', async () => {
  let now = 1000;
  const kube = new MemoryKube({ now: () => now });
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(kube.get(ref, { signal: abort.signal }), TimeoutError);
  now = 5000;
  await assert.rejects(
    kube.list({ apiVersion: 'v1', kind: 'Pod' }, { deadline: 4000 }),
    TimeoutError,
  );
});

test('onCall injects failures and latency', async () => {
  const kube = new MemoryKube({
    onCall: ({ verb }) => {
      if (verb === 'get') throw new TimeoutError('injected');
    },
  });
  await assert.rejects(kube.get(ref), /injected/);
});

test('pod logs: read with a tail, follow new lines until the signal aborts', async () => {
  const kube = await withNamespace();
  await kube.apply(
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'bots' }, spec: {} },
    berth,
  );
  const pod = { apiVersion: 'v1', kind: 'Pod', namespace: 'bots', name: 'p' };
  kube.writeLog(pod, 'app', 'one', 'two', 'three');
  assert.equal(await kube.podLogs(pod, { container: 'app', tailLines: 2 }), 'two\nthree\n');
  const abort = new AbortController();
  const seen: string[] = [];
  const following = (async () => {
    for await (const line of kube.followLogs(pod, {
      container: 'app',
      tailLines: 1,
      signal: abort.signal,
    })) {
      seen.push(line);
      if (seen.length === 2) abort.abort();
    }
  })();
  await new Promise((r) => setTimeout(r, 10)); // the follower is attached
  kube.writeLog(pod, 'app', 'four');
  await following;
  assert.deepEqual(seen, ['three', 'four']);
  await assert.rejects(kube.podLogs({ ...pod, name: 'gone' }), NotFoundError);
});
