import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYamlStream } from '../yaml/stream.ts';
import { parseWorkflows } from './load.ts';
import { applyEvent, eventLine, runTree } from './report.ts';
import { createRun } from './run-state.ts';
import { builtinTasks } from './tasks/index.ts';

const at = Date.UTC(2026, 11, 2, 11, 0, 0);
const wf = parseWorkflows(
  [
    parseYamlStream(
      `apiVersion: berth.dev/v1alpha1
kind: Workflow
metadata: { name: wf }
spec:
  steps:
    - { name: a, task: sleep, params: { duration: 1s } }
    - { name: b, task: sleep, params: { duration: 1s }, dependsOn: [a] }
`,
      'wf.yaml',
    ),
  ],
  builtinTasks,
).workflows[0];

test('report: plain lines per event', () => {
  assert.equal(
    eventLine({
      type: 'step',
      step: 'a',
      status: 'failed',
      attempt: 2,
      message: 'boom',
      durationMs: 1500,
      at,
    }),
    '11:00:00 step a failed attempt 2 in 1.5s: boom',
  );
  assert.equal(
    eventLine({ type: 'rollback', step: 'a', status: 'done', message: 'scale back', at }),
    '11:00:00 rollback a done: scale back',
  );
});

test('report: the live tree follows events (state, duration, reason, rollback, hooks)', () => {
  assert.ok(wf);
  let run = createRun(wf, 'wf-1', {}, at);
  run = applyEvent(run, { type: 'step', step: 'a', status: 'running', attempt: 1, at });
  run = applyEvent(run, {
    type: 'step',
    step: 'a',
    status: 'succeeded',
    attempt: 1,
    at: at + 2000,
  });
  run = applyEvent(run, { type: 'step', step: 'b', status: 'running', attempt: 1, at: at + 2000 });
  assert.equal(
    runTree(run, at + 5000, { b: 'waiting for pods' }),
    'wf  run wf-1  running\n├─ ✓ a (sleep) succeeded 2.0s\n└─ ▶ b (sleep) running 3.0s  ← a\n      waiting for pods\n',
  );
  run = applyEvent(run, { type: 'rollback', step: 'a', status: 'done', at });
  run = applyEvent(run, { type: 'hook', hook: 'tell', status: 'failed', message: '429', at });
  assert.match(
    runTree(run, at + 5000),
    /a \(sleep\) succeeded 2.0s {2}\[rollback done\][\s\S]*hook tell: failed \(429\)/,
  );
});
