import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryKube } from '../../kube/memory/index.ts';
import { parseYamlStream } from '../../yaml/stream.ts';
import { parseWorkflows } from '../load.ts';
import { createRun } from '../run-state.ts';
import { builtinTasks } from '../tasks/index.ts';
import { KubeRunStore } from './kube-store.ts';

const text = `apiVersion: berth.dev/v1alpha1
kind: Workflow
metadata: { name: wf }
spec:
  steps: [{ name: a, task: sleep, params: { duration: 1s } }]
`;

test('kube store: one ConfigMap per run; state and control keys kept apart; list and lease', async () => {
  const api = new MemoryKube();
  await api.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'runs' } },
    { fieldManager: 'test' },
  );
  const store = new KubeRunStore(api, 'runs');
  const wf = parseWorkflows([parseYamlStream(text, 'wf.yaml')], builtinTasks).workflows[0];
  assert.ok(wf);
  const run = createRun(wf, 'wf-20261202-110000-abcd', { x: 1 }, Date.now());
  await store.save(run);
  await store.approve(run.id, 'a', 'ops@host');
  await store.save({ ...run, phase: 'succeeded' });
  await store.requestCancel(run.id);
  assert.deepEqual(await store.readControl(run.id), {
    cancel: true,
    approvals: { a: 'ops@host' },
  });
  assert.equal((await store.load(run.id))?.phase, 'succeeded');
  assert.deepEqual(
    (await store.list()).map((s) => [s.id, s.phase]),
    [[run.id, 'succeeded']],
  );
  const lease = await store.lock(run.id, 'me', 10_000);
  await lease.release();
});
