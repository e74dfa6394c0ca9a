// One test (or more) per built-in task, against fake ports; the meta-test in
// test/workflow/tasks-meta.test.ts checks every registered task id appears here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRuntimeParams } from '../runtime-params.ts';
import { taskMap } from './index.ts';
import type { NotifyPort, ReleasePort, TaskPorts } from './ports.ts';
import type { TaskContext, TaskResult } from './types.ts';

const tasks = taskMap();

function fakeReleases(calls: string[], over: Partial<ReleasePort> = {}): ReleasePort {
  return {
    defaultRelease: (step) => ({ release: `vapora-${step}`, namespace: 'vapora-system' }),
    currentRevision: ({ release }) => Promise.resolve(release === 'vapora-new' ? undefined : 3),
    lastGoodRevision: () => Promise.resolve(2),
    apply: (r) => {
      calls.push(`apply ${r.release} ${r.components.join(',')}`);
      return Promise.resolve({ ready: true, reasons: [], revision: 4, objects: 7 });
    },
    rollback: (r) => {
      calls.push(`rollback ${r.release} to ${r.revision}`);
      return Promise.resolve({ ready: true, reasons: [], revision: 5 });
    },
    replicas: () => Promise.resolve(3),
    scale: (r) => {
      calls.push(`scale ${r.component} ${r.replicas}`);
      return Promise.resolve();
    },
    images: () => Promise.resolve({ app: 'vapora/backend:0.1.0', sidecar: 'envoy:1' }),
    upgrade: (r) => {
      calls.push(`upgrade ${r.component} ${JSON.stringify(r.images)}`);
      return Promise.resolve({ ready: true, reasons: [] });
    },
    restart: (r) => {
      calls.push(`restart ${r.component}`);
      return Promise.resolve({ ready: true, reasons: [] });
    },
    health: () => Promise.resolve({ ready: true, reasons: [] }),
    ...over,
  };
}

function ctx(ports: TaskPorts, over: Partial<TaskContext> = {}): TaskContext {
  let t = 0;
  return {
    runId: 'wf-20261202-110000-abcd',
    step: 'step',
    scope: { workflow: { name: 'wf', status: 'failed' }, queue_depth: 12, max: 20 },
    signal: new AbortController().signal,
    timeLeftMs: () => 60_000,
    now: () => t,
    sleep: (ms) => {
      t += ms;
      return Promise.resolve();
    },
    progress: () => undefined,
    isApproved: () => Promise.resolve(true),
    ports,
    ...over,
  };
}

async function run(id: string, params: unknown, c: TaskContext): Promise<TaskResult> {
  const task = tasks.get(id);
  assert.ok(task, id);
  return task.run(checkRuntimeParams(task, params), c);
}

async function undo(id: string, params: unknown, c: TaskContext) {
  const task = tasks.get(id);
  assert.ok(task && 'prepareUndo' in task, id);
  return task.prepareUndo?.(checkRuntimeParams(task, params), c);
}

test('task apply: undo recorded first (revision before, or removal); not ready fails with reasons', async () => {
  const calls: string[] = [];
  const c = ctx({ releases: fakeReleases(calls) }, { step: 'deploy-data' });
  assert.deepEqual((await undo('apply', { components: ['nats'] }, c))?.params, {
    release: 'vapora-deploy-data',
    namespace: 'vapora-system',
    revision: 3,
  });
  assert.equal(
    (await undo('apply', { components: ['x'], release: 'vapora-new' }, c))?.params.revision,
    0,
  );
  assert.deepEqual((await run('apply', { components: ['nats'] }, c)).outputs, {
    revision: 4,
    objects: 7,
  });
  assert.deepEqual(calls, ['apply vapora-deploy-data nats']);
  const bad = ctx({
    releases: fakeReleases([], {
      apply: () =>
        Promise.resolve({
          ready: false,
          reasons: ['Deployment a/b: CrashLoopBackOff'],
          revision: 2,
          objects: 1,
        }),
    }),
  });
  await assert.rejects(run('apply', { components: ['b'] }, bad), /CrashLoopBackOff/);
  await assert.rejects(run('apply', {}, c), /list components, manifests or objects/);
});

test('task rollback: the revision before the current one by default; its undo restores the current', async () => {
  const calls: string[] = [];
  const c = ctx({ releases: fakeReleases(calls) });
  await run('rollback', { release: 'vapora-deploy-core' }, c);
  await run('rollback', { release: 'vapora-deploy-core', lastGood: true }, c);
  assert.deepEqual(calls, ['rollback vapora-deploy-core to 2', 'rollback vapora-deploy-core to 2']);
  assert.equal((await undo('rollback', { release: 'vapora-deploy-core' }, c))?.params.revision, 3);
});

test('task scale: records the replicas before as its inverse', async () => {
  const calls: string[] = [];
  const c = ctx({ releases: fakeReleases(calls) });
  const u = await undo('scale', { component: 'developer', replicas: 7 }, c);
  assert.deepEqual(u?.params, { component: 'developer', replicas: 3 });
  assert.deepEqual((await run('scale', { component: 'developer', replicas: 7 }, c)).outputs, {
    previous: 3,
    replicas: 7,
  });
  assert.deepEqual(calls, ['scale developer 7']);
});

test('task upgrade: one image for every container; the inverse restores each container image', async () => {
  const calls: string[] = [];
  const c = ctx({ releases: fakeReleases(calls) });
  await run('upgrade', { component: 'vapora-backend', image: 'vapora/backend:0.3.0' }, c);
  assert.deepEqual(calls, [
    'upgrade vapora-backend {"app":"vapora/backend:0.3.0","sidecar":"vapora/backend:0.3.0"}',
  ]);
  const u = await undo(
    'upgrade',
    { component: 'vapora-backend', images: { app: 'vapora/backend:0.3.0' } },
    c,
  );
  assert.deepEqual(u?.params.images, { app: 'vapora/backend:0.1.0', sidecar: 'envoy:1' });
});

test('task restart: waits for the rollout; no inverse', async () => {
  const calls: string[] = [];
  await run('restart', { component: 'vapora-backend' }, ctx({ releases: fakeReleases(calls) }));
  assert.deepEqual(calls, ['restart vapora-backend']);
  assert.ok(!('prepareUndo' in (tasks.get('restart') ?? {})));
});

test('task wait and task health-check: ready, or the readiness reasons', async () => {
  assert.deepEqual((await run('wait', {}, ctx({ releases: fakeReleases([]) }))).outputs, {
    ready: true,
    reasons: [],
  });
  const sick = fakeReleases([], {
    health: () => Promise.resolve({ ready: false, reasons: ['StatefulSet s/nats: 0/3 ready'] }),
  });
  await assert.rejects(
    run('health-check', { components: ['nats'] }, ctx({ releases: sick })),
    /0\/3 ready/,
  );
});

test('task run-job: exit status and log tail; a failed Job fails the step', async () => {
  const ok = { run: () => Promise.resolve({ succeeded: true, exitCode: 0, logsTail: 'imported' }) };
  const params = {
    namespace: 'vapora-system',
    image: 'surrealdb/surrealdb:v2.3.7',
    command: ['/surreal', 'import'],
  };
  assert.deepEqual((await run('run-job', params, ctx({ jobs: ok }))).outputs, {
    succeeded: true,
    exitCode: 0,
    logs: 'imported',
  });
  const bad = {
    run: () => Promise.resolve({ succeeded: false, exitCode: 2, logsTail: 'syntax error' }),
  };
  await assert.rejects(run('run-job', params, ctx({ jobs: bad })), /exit 2.*syntax error/);
});

test('task query: a depth, a component replica count; an unreadable source fails, never 0', async () => {
  const queues = { readDepth: () => Promise.resolve({ value: 12 }) };
  const nats = {
    source: 'nats',
    url: 'nats://127.0.0.1:4222',
    stream: 'VAPORA_TASKS',
    consumer: 'developer',
  };
  assert.deepEqual((await run('query', nats, ctx({ queues }))).outputs, { value: 12 });
  const down = {
    readDepth: () =>
      Promise.resolve({ unknown: true as const, reason: 'nats: connection refused' }),
  };
  await assert.rejects(run('query', nats, ctx({ queues: down })), /connection refused/);
  await assert.rejects(
    run('query', { source: 'nats', url: 'nats://x' }, ctx({ queues })),
    /needs stream/,
  );
  assert.deepEqual(
    (
      await run(
        'query',
        { source: 'replicas', component: 'developer' },
        ctx({ releases: fakeReleases([]) }),
      )
    ).outputs,
    { value: 3 },
  );
});

test('task evaluate: CEL over the scope, one output per expression', async () => {
  const r = await run(
    'evaluate',
    {
      expressions: {
        action: 'queue_depth > 10 ? "scale_up" : "no_change"',
        to: 'least(queue_depth + 2, max)',
      },
    },
    ctx({}),
  );
  assert.deepEqual(r.outputs, { action: 'scale_up', to: 14 });
  await assert.rejects(run('evaluate', { expressions: { x: 'nope + 1' } }, ctx({})), /x: .*nope/);
});

test('task notify: one message per target, id <run>:<step> so it is sent once', async () => {
  const sent: string[] = [];
  const notify: NotifyPort = {
    target: (spec: string) => ({ type: 'slack' as const, url: spec.slice('slack='.length) }),
    send: (target, m) => {
      sent.push(`${'url' in target ? target.url : ''} ${m.id} ${m.title}: ${m.text}`);
      return Promise.resolve();
    },
  };
  await run(
    'notify',
    { to: ['slack=http://hooks/a'], message: 'done' },
    ctx({ notify }, { step: 'tell' }),
  );
  assert.deepEqual(sent, ['http://hooks/a wf-20261202-110000-abcd:tell wf: failed: done']);
});

test('task cluster: the cluster answers and is recent enough', async () => {
  const cluster = {
    check: () =>
      Promise.resolve({ server: 'https://127.0.0.1:6443', version: 'v1.29+', sandbox: true }),
  };
  assert.equal((await run('cluster', {}, ctx({ cluster }))).outputs.version, 'v1.29+');
  await assert.rejects(run('cluster', { minVersion: '1.31' }, ctx({ cluster })), /older than 1.31/);
});

test('task sleep: waits the duration on the injected clock', async () => {
  const c = ctx({});
  await run('sleep', { duration: '90s' }, c);
  assert.equal(c.now(), 90_000);
});

test('task approve: waits until a human approves; fails at its deadline', async () => {
  let asked = 0;
  const c = ctx({}, { isApproved: () => Promise.resolve(++asked >= 3) });
  assert.equal((await run('approve', {}, c)).message, 'approved');
  assert.equal(c.now(), 4000);
  const stop = new AbortController();
  const never = ctx(
    {},
    {
      signal: stop.signal,
      isApproved: () => Promise.resolve(false),
      sleep: () => Promise.resolve(stop.abort()),
    },
  );
  await assert.rejects(run('approve', {}, never), /not approved/);
});

test('a task whose port this run lacks fails with "not available", never a silent success', async () => {
  await assert.rejects(
    run('scale', { component: 'a', replicas: 1 }, ctx({})),
    /scale: the release module .* is not available in this run/,
  );
  await assert.rejects(
    run('notify', { to: ['slack=x'], message: 'm' }, ctx({})),
    /notifier module is not available/,
  );
});
