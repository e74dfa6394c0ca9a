// Seed 004's day-2 workflows on the sandbox after deploy-full-stack: upgrade-vapora changes the
// services' images one by one with health checks; disaster-recovery (approved from "another
// machine") re-applies every release's last good revision, which puts the images back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectKube } from '../../src/kube/connect.ts';
import { systemClock } from '../../src/workflow/adapters/clock.ts';
import { openRuntime } from '../../src/workflow/adapters/runtime.ts';
import type { WorkflowEvent } from '../../src/workflow/events.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { startFakeChat } from '../support/fake-chat.ts';
import { runWorkflow } from './support/run.ts';
import { copyVapora } from './support/vapora.ts';

test(
  'upgrade-vapora upgrades service by service; disaster-recovery restores the last good revisions',
  { timeout: 600_000 },
  async (t) => {
    const kubeconfig = testKubeconfig();
    const chat = await startFakeChat();
    const copy = await copyVapora();
    const api = await connectKube({ kubeconfig });
    t.after(async () => {
      await chat.close();
      await copy.dispose(api);
      api.close();
    });
    const env = { SLACK_WEBHOOK: chat.slackUrl };
    const namespace = `${copy.prefix}-system`;
    const rt = await openRuntime({
      kubeconfig,
      env,
      workspaceDir: copy.dir,
      namespace,
      clock: systemClock,
      berthVersion: '0.1.0',
    });
    t.after(() => rt.close());
    const run = async (
      name: string,
      given: Record<string, string>,
      onEvent?: (e: WorkflowEvent, id: string) => void,
    ) => {
      const r = await runWorkflow(rt, name, {
        dir: copy.dir,
        given,
        env,
        holder: 'day2-test',
        pollMs: 500,
        ...(onEvent ? { onEvent } : {}),
      });
      assert.deepEqual(r.diagnostics, []);
      return r.end;
    };
    const image = async (name: string) => {
      const d = await api.get(
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
        { deadline: Date.now() + 10_000 },
      );
      return (d?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
        .containers[0]?.image;
    };

    assert.equal((await run('deploy-full-stack', {})).phase, 'succeeded');
    assert.equal(await image('vapora-backend'), 'vapora/backend:0.1.0');

    const up = await run('upgrade-vapora', { VERSION: '0.3.0' });
    assert.equal(up.phase, 'succeeded', JSON.stringify(up.steps, null, 1));
    for (const s of [
      'vapora-llm-router',
      'vapora-mcp-gateway',
      'vapora-backend',
      'vapora-frontend',
    ])
      assert.equal(await image(s), `vapora/${s.replace('vapora-', '')}:0.3.0`);
    assert.deepEqual(up.steps['upgrade-backend']?.outputs, {
      previous: { 'vapora-backend': 'vapora/backend:0.1.0' },
    });

    const dr = await run('disaster-recovery', {}, (e, id) => {
      if (e.type === 'step' && e.step === 'approve-restore' && e.status === 'running')
        void rt.store.approve(id, 'approve-restore', 'oncall@elsewhere');
    });
    assert.equal(dr.phase, 'succeeded', JSON.stringify(dr.steps, null, 1));
    for (const s of [
      'vapora-llm-router',
      'vapora-mcp-gateway',
      'vapora-backend',
      'vapora-frontend',
    ])
      assert.equal(await image(s), `vapora/${s.replace('vapora-', '')}:0.1.0`);
    const messages = chat.messages('slack').map((m) => JSON.stringify(m.body));
    assert.equal(messages.length, 3);
    assert.match(messages[1] ?? '', /upgraded to 0\.3\.0/);
    assert.match(messages[2] ?? '', /restored to its last good revisions/);
  },
);
