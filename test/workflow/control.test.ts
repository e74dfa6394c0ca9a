// `berth workflow approve|cancel|list|status` against runs stored in the cluster while another
// runner drives them (as from another machine): the approval lets the run go on, the cancel stops
// it; list and status read the ConfigMaps. Needs a cluster (test/support).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import { connectKube } from '../../src/kube/connect.ts';
import { systemClock } from '../../src/workflow/adapters/clock.ts';
import { loadWorkflowFiles } from '../../src/workflow/adapters/files.ts';
import { KubeRunStore } from '../../src/workflow/adapters/kube-store.ts';
import { executeRun } from '../../src/workflow/engine.ts';
import type { WorkflowEvent } from '../../src/workflow/events.ts';
import { createRun } from '../../src/workflow/run-state.ts';
import { builtinTasks, taskMap } from '../../src/workflow/tasks/index.ts';
import { testKubeconfig } from '../support/cluster.ts';

const text = (ns: string) => `apiVersion: berth.dev/v1alpha1
kind: Workflow
metadata: { name: gated, namespace: ${ns} }
spec:
  steps:
    - { name: gate, task: approve, params: { poll: 1s }, timeout: 2m }
    - { name: soak, task: sleep, params: { duration: '\${soak}' }, dependsOn: [gate], timeout: 2h }
  params: [{ name: soak, default: 1s }]
`;

test(
  'approve and cancel from the CLI reach a run driven elsewhere; list and status read it',
  { timeout: 180_000 },
  async (t) => {
    const kubeconfig = testKubeconfig();
    const ns = `wf-ctl-${randomBytes(3).toString('hex')}`;
    const dir = await mkdtemp(join(tmpdir(), 'berth-wf-ctl-'));
    const api = await connectKube({ kubeconfig });
    t.after(async () => {
      await api.delete(
        { apiVersion: 'v1', kind: 'Namespace', name: ns },
        { deadline: Date.now() + 30_000 },
      );
      api.close();
      await rm(dir, { recursive: true, force: true });
    });
    await writeFile(join(dir, 'gated.yaml'), text(ns));
    const [workflow] = await loadWorkflowFiles(join(dir, 'gated.yaml'), builtinTasks);
    assert.ok(workflow);
    const store = new KubeRunStore(api, ns);
    const cli = async (...args: string[]) => {
      const { io, captured } = memoryIO({ env: {} });
      const code = await runCli(['workflow', ...args, '--kubeconfig', kubeconfig, '-n', ns], io);
      return { code, ...captured };
    };
    const drive = (id: string, soak: string) => {
      const events: WorkflowEvent[] = [];
      const done = executeRun(createRun(workflow, id, { soak }, Date.now()), {
        tasks: taskMap(),
        store,
        clock: systemClock,
        ports: {},
        holder: 'control-test',
        pollMs: 500,
        onEvent: (e) => events.push(e),
      });
      const started = async (step: string) => {
        while (!events.some((e) => e.type === 'step' && e.step === step && e.status === 'running'))
          await systemClock.sleep(100);
      };
      return { done, started };
    };

    const a = drive('gated-approve', '1s');
    await a.started('gate');
    assert.equal(
      (await cli('approve', 'gated-approve', 'soak')).code,
      2,
      'soak is not an approve step',
    );
    const approved = await cli('approve', 'gated-approve', 'gate');
    assert.equal(approved.code, 0, approved.err);
    const endA = await a.done;
    assert.equal(endA.phase, 'succeeded');
    assert.equal(endA.steps.gate?.message, 'approved');

    const c = drive('gated-cancel', '1h');
    await c.started('gate');
    assert.equal((await cli('approve', 'gated-cancel', 'gate')).code, 0);
    await c.started('soak');
    assert.equal((await cli('cancel', 'gated-cancel')).code, 0);
    const endC = await c.done;
    assert.equal(endC.phase, 'cancelled');
    assert.equal(endC.steps.soak?.status, 'cancelled');

    const list = await cli('list', '-o', 'json');
    assert.equal(list.code, 0);
    assert.deepEqual(
      (JSON.parse(list.out) as { id: string; phase: string }[]).map((r) => [r.id, r.phase]),
      [
        ['gated-approve', 'succeeded'],
        ['gated-cancel', 'cancelled'],
      ],
    );
    const ok = await cli('status', 'gated-approve');
    assert.equal(ok.code, 0);
    assert.match(ok.out, /✓ gate \(approve\) succeeded/);
    const cancelled = await cli('status', 'gated-cancel', '-o', 'json');
    assert.equal(cancelled.code, 1);
    assert.equal((JSON.parse(cancelled.out) as { phase: string }).phase, 'cancelled');
    assert.equal((await cli('status', 'nope')).code, 2);
  },
);
