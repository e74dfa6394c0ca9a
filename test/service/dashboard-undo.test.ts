// The dashboard's undo on the sandbox: a standby replica records the request in the ledger
// ConfigMap and never acts; the leader carries it out through the policy (the recorded inverse,
// the ledger entry marked undone, the request done); a request the policy refuses is recorded as
// refused with the reason; the view shows the same on both replicas.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppsV1Api } from '@kubernetes/client-node';
import { connectKube } from '../../src/kube/connect.ts';
import { clusterViewProvider } from '../../src/service/adapters/view-cluster.ts';
import { UndoService, dashboardFieldManager } from '../../src/service/adapters/view-undo.ts';
import { restartedAtAnnotation } from '../../src/watchdog/adapters/actions.ts';
import { ConfigMapStore, ledgerConfigMap } from '../../src/watchdog/adapters/configmap-store.ts';
import {
  notifyOnlyPolicy,
  type LedgerEntry,
  type Policy,
} from '../../src/watchdog/policy/types.ts';
import {
  applyObjects,
  testKubeConfig,
  testKubeconfig,
  testNamespace,
  waitFor,
} from '../support/cluster.ts';
import { deployment } from '../watchdog/support.ts';

test('undo from a standby: recorded in the cluster, carried out by the leader only, through the policy', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'dash-undo' });
  const kube = await connectKube({ kubeconfig: testKubeconfig() });
  t.after(() => kube.close());
  const restartedAt = '2026-12-02T16:00:00Z';
  const base = deployment('web');
  const web = {
    ...base,
    metadata: { name: 'web', namespace },
    spec: {
      ...base.spec,
      template: {
        ...base.spec.template,
        metadata: { labels: { app: 'web' }, annotations: { [restartedAtAnnotation]: restartedAt } },
      },
    },
  };
  await applyObjects([web]);
  const target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'web' };
  const now = Date.now();
  const entry = (id: string, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
    id,
    at: now - 60_000,
    fingerprint: 'fp',
    incident: `CrashLoopBackOff: Deployment ${namespace}/web`,
    action: {
      action: 'rollout-restart',
      target,
      command: `kubectl -n ${namespace} rollout restart deployment/web`,
    },
    inverse: { type: 'restore-restarted-at', previous: null, previousRevision: '1' },
    status: 'failed',
    result: 'not ready before the deadline',
    finishedAt: now - 50_000,
    ...over,
  });
  const ledger = new ConfigMapStore<LedgerEntry[]>(
    kube,
    namespace,
    ledgerConfigMap,
    'entries.json',
  );
  await ledger.save([
    entry('wd-a-1'),
    entry('wd-b-1', {
      inverse: { type: 'none', why: 'a deleted pod is recreated by its controller' },
    }),
  ]);
  const policy: Policy = {
    ...notifyOnlyPolicy,
    include: [namespace],
    actions: [{ action: 'rollout-restart', detectors: ['pod-restart-loop'], transientOnly: false }],
  };
  let leaderUp = false;
  const replica = (identity: string, isLeader: () => boolean) =>
    new UndoService({ kube, namespace, policy, identity, isLeader, pollMs: 300, waitMs: 1500 });
  const standby = replica('berth-1', () => false);
  const leader = replica('berth-0', () => leaderUp);

  // No leader yet: the standby records the request and answers after its bounded wait.
  const started = Date.now();
  const { id } = await standby.request('wd-a-1', 'roger');
  assert.ok(Date.now() - started < 5000, 'bounded wait');
  let requests = await standby.requests();
  assert.deepEqual(
    requests.map((r) => [r.id, r.entry, r.user, r.via, r.status]),
    [[id, 'wd-a-1', 'roger', 'berth-1', 'pending']],
  );
  const live = async () =>
    (
      await testKubeConfig()
        .makeApiClient(AppsV1Api)
        .readNamespacedDeployment({ namespace, name: 'web' })
    ).spec?.template.metadata?.annotations?.[restartedAtAnnotation];
  assert.equal(await live(), restartedAt, 'a standby never acts');

  // The leader's poll carries it out.
  leaderUp = true;
  leader.start();
  t.after(() => leader.stop());
  const done = await waitFor(
    `undo ${id} done`,
    async () =>
      (await standby.requests()).find(
        (r) => r.id === id && r.status !== 'pending' && r.status !== 'running',
      ),
    { timeoutMs: 20_000 },
  );
  assert.equal(done.status, 'done', done.result);
  assert.equal(done.by, 'berth-0');
  assert.match(done.result ?? '', /remove the restart annotation on Deployment .*\/web/);
  assert.equal(await live(), undefined, 'the inverse was applied');
  const after = (await ledger.load())!;
  assert.equal(after[0]!.status, 'undone');
  assert.match(
    after[0]!.result ?? '',
    new RegExp(`undone from the dashboard by roger \\(${id}\\)`),
  );

  // Refusals are recorded with the reason: nothing to put back; already undone.
  await leader.request('wd-b-1', 'roger');
  await leader.request('wd-a-1', 'mallory');
  requests = await standby.requests();
  assert.deepEqual(
    requests.slice(1).map((r) => [r.entry, r.status]),
    [
      ['wd-b-1', 'refused'],
      ['wd-a-1', 'refused'],
    ],
  );
  assert.match(requests[1]!.result ?? '', /cannot be undone: a deleted pod/);
  assert.match(requests[2]!.result ?? '', /already undone/);

  // The watchdog's own ledger writes (server-side apply as berth-watchdog) keep the requests.
  await ledger.save(after);
  assert.equal((await standby.requests()).length, 3);
  const cm = await kube.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace,
    name: ledgerConfigMap,
  });
  const managers = ((cm?.metadata.managedFields ?? []) as { manager: string }[]).map(
    (f) => f.manager,
  );
  assert.ok(managers.includes(dashboardFieldManager), managers.join());

  // Both replicas' pages show the same ledger and request.
  const page = (identity: string, isLeader: boolean) =>
    clusterViewProvider({
      kube,
      namespace,
      lease: { namespace, name: 'berth-service' },
      identity,
      version: 'test',
      ready: () => true,
      leader: () => isLeader,
      policy,
      undo: true,
    })({ undoRequest: id });
  const [a, b] = await Promise.all([page('berth-0', true), page('berth-1', false)]);
  assert.deepEqual(a.ledger, b.ledger);
  assert.deepEqual(a.undo, b.undo);
  assert.equal(a.undo?.status, 'done');
  assert.deepEqual(a.notices ?? [], []);
  assert.equal(a.leaderIdentity, 'none (Lease not held)');
});
