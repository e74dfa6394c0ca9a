import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostics } from '../errors.ts';
import { parseYamlStream } from '../yaml/stream.ts';
import { executeRun } from './engine.ts';
import type { WorkflowEvent } from './events.ts';
import { parseWorkflows } from './load.ts';
import { createRun, prepareResume, resolveParams } from './run-state.ts';
import { MemoryRunStore } from './store.ts';
import { taskMap } from './tasks/index.ts';
import { FakeClock } from '../../test/workflow/support/fake-clock.ts';
import { fakeTasks, type FakeLog } from '../../test/workflow/support/fake-tasks.ts';

function setup(spec: string) {
  const log: FakeLog = { calls: [], attempts: new Map() };
  const tasks = fakeTasks(log);
  const text = `apiVersion: berth.dev/v1alpha1\nkind: Workflow\nmetadata: { name: wf }\nspec:\n${spec}`;
  const { workflows, diagnostics } = parseWorkflows([parseYamlStream(text, 'wf.yaml')], tasks);
  assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics));
  const workflow = workflows[0];
  assert.ok(workflow);
  const clock = new FakeClock();
  const store = new MemoryRunStore(() => clock.now());
  const events: WorkflowEvent[] = [];
  const { params } = resolveParams(workflow.spec.params, {}, {});
  const run = createRun(workflow, 'wf-1', params, clock.now());
  const options = {
    tasks: taskMap(tasks),
    store,
    clock,
    ports: {},
    holder: 'test',
    onEvent: (e: WorkflowEvent) => events.push(e),
  };
  return { log, run, store, clock, events, options, exec: () => executeRun(run, options) };
}

const statuses = (run: { steps: Record<string, { status: string }> }) =>
  Object.fromEntries(Object.entries(run.steps).map(([k, v]) => [k, v.status]));

test('engine: runs steps as soon as the DAG allows, in parallel, and saves every transition', async () => {
  const t = setup(`  steps:
    - { name: a, task: mutate, params: { ms: 100 } }
    - { name: b, task: mutate, params: { ms: 300 }, dependsOn: [a] }
    - { name: c, task: mutate, params: { ms: 100 }, dependsOn: [a] }
    - { name: d, task: mutate, dependsOn: [b, c] }
`);
  const end = await t.exec();
  assert.equal(end.phase, 'succeeded');
  assert.deepEqual(t.log.calls, ['run a', 'run b', 'run c', 'run d']);
  // b and c overlapped: d started 100 + 300 (+10) ms after the start, not 100 + 300 + 100.
  assert.equal((end.steps.d?.startedAt ?? 0) - end.startedAt, 400);
  assert.deepEqual([end.steps.c?.seq, end.steps.b?.seq], [2, 3]);
  const transitions = t.store.history.map((s) => statuses(s).b);
  assert.ok(transitions.includes('running') && transitions.includes('succeeded'));
});

test('engine: when false skips a step and its dependents still run (Argo); continue lets dependents run', async () => {
  const t = setup(`  params: [{ name: go, type: bool, default: "false" }]
  steps:
    - { name: a, task: mutate, when: go }
    - { name: b, task: mutate, dependsOn: [a] }
    - { name: c, task: mutate, params: { fail: true }, onFailure: continue }
    - { name: d, task: mutate, dependsOn: [c] }
`);
  const end = await t.exec();
  assert.deepEqual(statuses(end), { a: 'skipped', b: 'succeeded', c: 'failed', d: 'succeeded' });
  assert.equal(end.phase, 'succeeded');
});

test('engine: abort lets running steps finish, starts nothing new, omits dependents; no rollback', async () => {
  const t = setup(`  steps:
    - { name: a, task: mutate, params: { fail: true, ms: 10 } }
    - { name: b, task: mutate, params: { ms: 100 } }
    - { name: c, task: mutate, dependsOn: [b] }
`);
  const end = await t.exec();
  assert.deepEqual(statuses(end), { a: 'failed', b: 'succeeded', c: 'omitted' });
  assert.equal(end.phase, 'failed');
  assert.equal(end.reason, 'step a failed');
  assert.ok(!t.log.calls.some((c) => c.startsWith('undo')));
});

test('engine: rollbackOnFailure undoes completed steps in reverse order, reported step by step; onFailure hook once', async () => {
  const t = setup(`  rollbackOnFailure: true
  steps:
    - { name: data, task: mutate }
    - { name: core, task: mutate, dependsOn: [data] }
    - { name: frontend, task: mutate, dependsOn: [core] }
    - { name: agents, task: mutate, dependsOn: [core], params: { fail: true, ms: 50 } }
    - { name: health, task: mutate, dependsOn: [agents, frontend] }
  onCompletion: [{ name: ok, task: once }]
  onFailure: [{ name: tell, task: once }]
`);
  const end = await t.exec();
  assert.equal(end.phase, 'failed');
  assert.equal(end.rollback?.status, 'done');
  assert.deepEqual(
    t.log.calls.filter((c) => !c.startsWith('run')),
    ['undo agents', 'undo frontend', 'undo core', 'undo data', 'once tell failed'],
  );
  const rollbackEvents = t.events
    .filter((e) => e.type === 'rollback')
    .map((e) => `${e.step} ${e.status}`);
  assert.deepEqual(rollbackEvents.slice(0, 2), ['agents running', 'agents done']);
  assert.equal(end.steps.health?.status, 'omitted');
});

test('engine: onFailure: rollback on one step rolls back; a failing hook never hides the result', async () => {
  const t = setup(`  steps:
    - { name: a, task: mutate }
    - { name: b, task: mutate, dependsOn: [a], params: { fail: true }, onFailure: rollback }
  onFailure: [{ name: tell, task: once, params: { fail: true } }, { name: tell2, task: once }]
`);
  const end = await t.exec();
  assert.equal(end.phase, 'failed');
  assert.deepEqual(end.hooks, {
    tell: { status: 'failed', message: 'hook broke' },
    tell2: { status: 'succeeded' },
  });
  assert.deepEqual(
    t.log.calls.filter((c) => c.startsWith('undo')),
    ['undo b', 'undo a'],
  );
});

test('engine: retries with exponential back-off on the injected clock', async () => {
  const t = setup(`  steps:
    - name: a
      task: mutate
      params: { failTimes: 2 }
      retry: { limit: 3, backoff: 5s, factor: 2 }
`);
  const end = await t.exec();
  assert.equal(end.steps.a?.status, 'succeeded');
  assert.equal(end.steps.a?.attempts, 3);
  assert.ok(t.clock.sleeps.includes(5000) && t.clock.sleeps.includes(10000));
});

test('engine: a step timeout fails the step; the workflow timeout stops the run', async () => {
  const t = setup(`  steps:
    - { name: a, task: hang, timeout: 30s }
`);
  const end = await t.exec();
  assert.equal(end.steps.a?.status, 'failed');
  assert.equal(end.steps.a?.message, 'timed out after 30s');
  assert.equal((end.steps.a?.finishedAt ?? 0) - end.startedAt, 30_000);

  const w = setup(`  timeout: 2m
  steps:
    - { name: a, task: hang, timeout: 1h }
    - { name: b, task: mutate, dependsOn: [a] }
`);
  const e2 = await w.exec();
  assert.equal(e2.phase, 'failed');
  assert.equal(e2.reason, 'workflow timeout 2m reached');
  assert.deepEqual(statuses(e2), { a: 'cancelled', b: 'omitted' });
});

test('engine: cancel stops running steps and starts nothing new', async () => {
  const t = setup(`  steps:
    - { name: a, task: hang }
    - { name: b, task: mutate, dependsOn: [a] }
`);
  const running = t.exec();
  while (!t.events.some((e) => e.type === 'step' && e.status === 'running'))
    await new Promise((r) => setImmediate(r));
  await t.store.requestCancel('wf-1');
  const end = await running;
  assert.equal(end.phase, 'cancelled');
  assert.deepEqual(statuses(end), { a: 'cancelled', b: 'omitted' });
});

test('engine: resume continues a crashed run without repeating completed steps', async () => {
  const t = setup(`  steps:
    - { name: a, task: mutate }
    - { name: b, task: mutate, dependsOn: [a] }
    - { name: c, task: mutate, dependsOn: [a] }
    - { name: d, task: mutate, dependsOn: [b, c] }
`);
  await t.exec();
  // The state saved while b and c were running, as a crash would leave it.
  const crashed = t.store.history.find(
    (s) => s.steps.b?.status === 'running' && s.steps.c?.status === 'running',
  );
  assert.ok(crashed);
  t.log.calls.length = 0;
  const { run, notes } = prepareResume(crashed, t.options.tasks);
  assert.equal(notes.length, 2);
  const end = await executeRun(run, t.options);
  assert.deepEqual(t.log.calls, ['run b', 'run c', 'run d']);
  assert.equal(end.phase, 'succeeded');
});

test('engine: a non-idempotent step that was running is left for a human, not repeated', async () => {
  const t = setup(`  steps:
    - { name: a, task: once }
    - { name: b, task: mutate, dependsOn: [a] }
`);
  await t.exec();
  const crashed = t.store.history.find((s) => s.steps.a?.status === 'running');
  assert.ok(crashed);
  t.log.calls.length = 0;
  const end = await executeRun(prepareResume(crashed, t.options.tasks).run, t.options);
  assert.deepEqual(t.log.calls, []);
  assert.deepEqual(statuses(end), { a: 'interrupted', b: 'omitted' });
  assert.equal(end.phase, 'failed');
});

test('engine: a second runner cannot drive a run whose lease is live', async () => {
  const t = setup(`  steps:
    - { name: a, task: mutate }
`);
  await t.store.lock('wf-1', 'other-host', 60_000);
  await assert.rejects(t.exec(), /being driven by other-host/);
});
