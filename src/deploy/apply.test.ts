// The apply runner and the wait against the in-memory port: ordering, readiness from watched
// status, autoscaled workloads created at their minimum, drift reporting, a silent server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimeoutError, UnauthorizedError } from '../kube/errors.ts';
import { MemoryKube } from '../kube/memory/index.ts';
import type { KubeObject } from '../model/object.ts';
import { managedFieldsOf } from '../model/managed-fields.ts';
import { replicasManager } from './apply-object.ts';
import { applyObjects } from './apply.ts';
import type { ApplyEvent } from './events.ts';

const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'vapora' } };
function deployment(name: string, replicas?: number): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'vapora' },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1` }] } },
    },
  };
}
const hpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'backend', namespace: 'vapora' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
    minReplicas: 3,
    maxReplicas: 10,
  },
};
const backendRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'vapora',
  name: 'backend',
};

/** Plays the deployment controller: marks every Deployment rolled out at its spec.replicas. */
async function rollOut(kube: MemoryKube, readyOverride?: number): Promise<void> {
  for (const d of kube.all().filter((o) => o.kind === 'Deployment')) {
    const replicas = (d.spec as { replicas: number }).replicas;
    const ready = readyOverride ?? replicas;
    await kube.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'vapora', name: d.metadata.name },
      {
        status: {
          observedGeneration: d.metadata.generation,
          replicas: ready,
          updatedReplicas: ready,
          readyReplicas: ready,
          availableReplicas: ready,
          conditions: [
            { type: 'Available', status: 'True' },
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
          ],
        },
      },
      { type: 'merge', fieldManager: 'kube-controller-manager', subresource: 'status' },
    );
  }
}

test('objects are applied in phase order as the given field manager', async () => {
  const kube = new MemoryKube();
  const events: ApplyEvent[] = [];
  const result = await applyObjects(kube, [deployment('web', 1), ns], {
    fieldManager: 'berth-test',
    onEvent: (e) => events.push(e),
  });
  assert.equal(result.outcome, 'applied');
  assert.deepEqual(
    events.filter((e) => e.type === 'applied').map((e) => e.type === 'applied' && e.ref.kind),
    ['Namespace', 'Deployment'],
  );
  const live = await kube.get({ ...backendRef, name: 'web' });
  assert.deepEqual(
    managedFieldsOf(live ?? ns).map((e) => e.manager),
    ['berth-test'],
  );
});

test('the wait ends when the watched status says ready', async () => {
  const kube = new MemoryKube();
  await kube.apply(ns, { fieldManager: 'x' });
  const applying = applyObjects(kube, [deployment('web', 2)], { wait: true, timeoutMs: 5000 });
  await new Promise((r) => setTimeout(r, 50));
  await rollOut(kube);
  const result = await applying;
  assert.equal(result.outcome, 'ready');
  assert.equal(result.objects[0]?.status, 'Current');
});

test('an autoscaled workload is created at its minimum, then its replicas are left to the autoscaler', async () => {
  const kube = new MemoryKube();
  const first = await applyObjects(kube, [ns, deployment('backend'), hpa]);
  assert.equal(
    first.objects.find((o) => o.name === 'backend' && o.kind === 'Deployment')?.createdAtReplicas,
    3,
  );
  const live = await kube.get(backendRef);
  assert.equal((live?.spec as { replicas: number }).replicas, 3);
  const owners = managedFieldsOf(live ?? ns)
    .filter((e) => JSON.stringify(e.fieldsV1).includes('f:replicas'))
    .map((e) => e.manager);
  assert.deepEqual(owners, [replicasManager('berth')], 'berth itself does not own the replicas');
  // The autoscaler scales; a later apply neither resets nor conflicts.
  await kube.patchScale(backendRef, 6, { fieldManager: 'kube-controller-manager' });
  const second = await applyObjects(kube, [ns, deployment('backend'), hpa]);
  assert.equal(second.outcome, 'applied');
  assert.equal(second.objects.find((o) => o.kind === 'Deployment')?.drift, undefined);
  assert.equal((await kube.getScale(backendRef)).replicas, 6);
});

test("a pool of berth's own autoscaler (berth.dev/min-replicas) is created at that minimum and left to it", async () => {
  const kube = new MemoryKube();
  const pool = deployment('developer');
  pool.metadata.annotations = { 'berth.dev/min-replicas': '5', 'berth.dev/max-replicas': '20' };
  const first = await applyObjects(kube, [ns, pool]);
  const ref = { ...backendRef, name: 'developer' };
  assert.equal(first.objects.find((o) => o.name === 'developer')?.createdAtReplicas, 5);
  assert.equal((await kube.getScale(ref)).replicas, 5);
  await kube.patchScale(ref, 9, { fieldManager: 'berth-autoscaler' });
  const second = await applyObjects(kube, [ns, pool]);
  assert.equal(second.objects.find((o) => o.name === 'developer')?.drift, undefined);
  assert.equal(
    (await kube.getScale(ref)).replicas,
    9,
    'apply leaves the replicas to the autoscaler',
  );
});

test('a run killed between the create at the minimum and the hand-over still converges at the minimum', async () => {
  const kube = new MemoryKube();
  const pool = deployment('developer');
  pool.metadata.annotations = { 'berth.dev/min-replicas': '5' };
  await kube.apply(ns, { fieldManager: 'berth' });
  // What the killed run left: the object created with replicas 5, owned by berth alone.
  await kube.apply(
    { ...pool, spec: { ...(pool.spec as object), replicas: 5 } },
    { fieldManager: 'berth' },
  );
  const ref = { ...backendRef, name: 'developer' };
  await applyObjects(kube, [ns, pool]);
  assert.equal((await kube.getScale(ref)).replicas, 5, 'not dropped back to 1');
  const owners = managedFieldsOf((await kube.get(ref)) ?? ns)
    .filter((e) => JSON.stringify(e.fieldsV1).includes('f:replicas'))
    .map((e) => e.manager);
  assert.deepEqual(owners, [replicasManager('berth')]);
});

test('the wait judges an autoscaled workload against its minimum', async () => {
  const kube = new MemoryKube();
  await kube.apply(ns, { fieldManager: 'x' });
  const events: ApplyEvent[] = [];
  const applying = applyObjects(kube, [deployment('backend'), hpa], {
    wait: true,
    timeoutMs: 600,
    onEvent: (e) => events.push(e),
  });
  await new Promise((r) => setTimeout(r, 50));
  await rollOut(kube, 1); // only one of the three is ready
  const result = await applying;
  assert.equal(result.outcome, 'timeout');
  const backend = result.objects.find((o) => o.kind === 'Deployment');
  assert.equal(backend?.status, 'InProgress');
  assert.equal(result.serverProblem, undefined, 'the server answered: the workload is blamed');
});

test('drift: fields another manager changed are taken back and reported, with the manager', async () => {
  const kube = new MemoryKube();
  await applyObjects(kube, [ns, deployment('web', 2)]);
  await kube.patch(
    { ...backendRef, name: 'web' },
    { spec: { replicas: 5 } },
    { type: 'merge', fieldManager: 'kubectl-scale' },
  );
  const events: ApplyEvent[] = [];
  const result = await applyObjects(kube, [ns, deployment('web', 2)], {
    onEvent: (e) => events.push(e),
  });
  const web = result.objects.find((o) => o.kind === 'Deployment');
  assert.deepEqual(web?.drift, [{ field: 'spec.replicas', manager: 'kubectl-scale' }]);
  assert.ok(events.some((e) => e.type === 'drift'));
  assert.equal((await kube.getScale({ ...backendRef, name: 'web' })).replicas, 2);
  // Without force, the conflict is a rejection naming the fields.
  await kube.patch(
    { ...backendRef, name: 'web' },
    { spec: { replicas: 5 } },
    { type: 'merge', fieldManager: 'kubectl-scale' },
  );
  const refused = await applyObjects(kube, [ns, deployment('web', 2)], { force: false });
  assert.equal(refused.outcome, 'rejected');
  assert.match(refused.objects.find((o) => o.kind === 'Deployment')?.error ?? '', /kubectl-scale/);
});

test('refused credentials end the apply once, not per object', async () => {
  let calls = 0;
  const kube = new MemoryKube({
    onCall: () => {
      calls++;
      throw new UnauthorizedError('credentials refused by memory://kube');
    },
  });
  await assert.rejects(
    applyObjects(kube, [ns, deployment('a', 1), deployment('b', 1)]),
    UnauthorizedError,
  );
  assert.ok(calls <= 3, `${calls} calls`);
});

test('a server that stops answering during the wait is blamed, not the workloads', async () => {
  let silent = false;
  const kube = new MemoryKube({
    onCall: ({ verb }) => {
      if (silent && verb !== 'watch')
        throw new TimeoutError(`${verb}: no answer from memory://kube`);
    },
  });
  await kube.apply(ns, { fieldManager: 'x' });
  const applying = applyObjects(kube, [deployment('web', 1)], { wait: true, timeoutMs: 500 });
  await new Promise((r) => setTimeout(r, 50));
  silent = true;
  const result = await applying;
  assert.equal(result.outcome, 'timeout');
  assert.match(result.serverProblem ?? '', /stopped answering.*no answer from memory:\/\/kube/);
});
