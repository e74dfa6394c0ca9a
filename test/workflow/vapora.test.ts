// Seed 004's deploy-full-stack on the sandbox: green, then with a crash-looping agent pool
// (rolled back in reverse order, the Slack failure hook told). Needs a cluster (test/support).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectKube } from '../../src/kube/connect.ts';
import { systemClock } from '../../src/workflow/adapters/clock.ts';
import { findWorkflow } from '../../src/workflow/adapters/files.ts';
import { openRuntime } from '../../src/workflow/adapters/runtime.ts';
import { builtinTasks } from '../../src/workflow/tasks/index.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { startFakeChat } from '../support/fake-chat.ts';
import { runWorkflow } from './support/run.ts';
import { copyVapora, crashLoop } from './support/vapora.ts';
import type { KubeObject } from '../../src/model/object.ts';

async function deploy(
  t: { after(fn: () => Promise<void>): void },
  transform?: (objects: KubeObject[]) => KubeObject[],
) {
  const kubeconfig = testKubeconfig();
  const chat = await startFakeChat();
  const copy = await copyVapora();
  const admin = await connectKube({ kubeconfig });
  t.after(async () => {
    await chat.close();
    await copy.dispose(admin);
    admin.close();
  });
  const env = { SLACK_WEBHOOK: chat.slackUrl };
  const { workflow, workspace } = await findWorkflow('deploy-full-stack', copy.dir, builtinTasks);
  const rt = await openRuntime({
    kubeconfig,
    env,
    workspaceDir: workspace,
    clock: systemClock,
    berthVersion: '0.1.0',
    ...(workflow.namespace ? { namespace: workflow.namespace } : {}),
    ...(transform ? { transformObjects: transform } : {}),
  });
  t.after(() => rt.close());
  const { end, events, ms } = await runWorkflow(rt, 'deploy-full-stack', {
    dir: workspace,
    env,
    holder: 'vapora-test',
  });
  return { end, events, chat, rt, ms };
}

test(
  'deploy-full-stack runs green on the sandbox and tells Slack',
  { timeout: 600_000 },
  async (t) => {
    const { end, chat, rt } = await deploy(t);
    assert.equal(end.phase, 'succeeded', JSON.stringify(end.steps, null, 1));
    for (const [name, st] of Object.entries(end.steps)) assert.equal(st.status, 'succeeded', name);
    const slack = chat.messages('slack');
    assert.equal(slack.length, 1);
    assert.match(JSON.stringify(slack[0]?.body), /completed successfully/);
    assert.equal((await rt.store.load(end.id))?.phase, 'succeeded');
  },
);

test(
  'deploy-full-stack with a crash-looping agent pool rolls back in reverse order and tells Slack',
  { timeout: 600_000 },
  async (t) => {
    const { end, events, chat } = await deploy(t, crashLoop('developer'));
    assert.equal(end.phase, 'failed');
    assert.equal(end.failedStep, 'deploy-agents');
    assert.match(end.steps['deploy-agents']?.message ?? '', /CrashLoopBackOff/);
    assert.equal(end.rollback?.status, 'done');
    const undone = events
      .filter((e) => e.type === 'rollback' && e.status === 'done')
      .map((e) => (e.type === 'rollback' ? e.step : ''));
    // deploy-frontend and deploy-agents ran side by side: whichever finished last is undone first.
    assert.deepEqual(undone.slice(2), ['deploy-core', 'deploy-data', 'install-addons']);
    assert.deepEqual(new Set(undone.slice(0, 2)), new Set(['deploy-agents', 'deploy-frontend']));
    assert.equal(end.steps['health-check']?.status, 'omitted');
    const slack = chat.messages('slack');
    assert.equal(slack.length, 1);
    assert.match(JSON.stringify(slack[0]?.body), /failed at deploy-agents/);
    assert.match(JSON.stringify(slack[0]?.body), /Rollback: done/);
  },
);
