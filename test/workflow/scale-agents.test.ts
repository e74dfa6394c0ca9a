// Seed 004's scale-agents on the sandbox with a real nats-server: the developer consumer's
// pending count → the seed's rule (CEL) → /scale; then a depth inside the band skips the scaling
// step (`when` false) and leaves the replicas alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectKube } from '../../src/kube/connect.ts';
import { systemClock } from '../../src/workflow/adapters/clock.ts';
import { findWorkflow } from '../../src/workflow/adapters/files.ts';
import { openRuntime } from '../../src/workflow/adapters/runtime.ts';
import { builtinTasks } from '../../src/workflow/tasks/index.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { startNats } from '../support/servers.ts';
import { runWorkflow } from './support/run.ts';
import { copyVapora } from './support/vapora.ts';

test(
  'scale-agents: JetStream pending → seed rule → scale; in-band depth skips scaling',
  { timeout: 300_000 },
  async (t) => {
    const kubeconfig = testKubeconfig();
    const nats = await startNats(t);
    const nc = await connect({ servers: nats.url });
    t.after(() => nc.close());
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'VAPORA_TASKS', subjects: ['tasks.>'] });
    await jsm.consumers.add('VAPORA_TASKS', {
      durable_name: 'developer',
      ack_policy: AckPolicy.Explicit,
      filter_subject: 'tasks.developer',
    });
    const js = jetstream(nc);
    for (let i = 0; i < 15; i++) await js.publish('tasks.developer', `task ${i}`);

    const copy = await copyVapora();
    const admin = await connectKube({ kubeconfig });
    t.after(async () => {
      await copy.dispose(admin);
      admin.close();
    });
    const { workspace } = await findWorkflow('scale-agents', copy.dir, builtinTasks);
    const rt = await openRuntime({
      kubeconfig,
      env: {},
      workspaceDir: workspace,
      namespace: `${copy.prefix}-system`,
      clock: systemClock,
      berthVersion: '0.1.0',
    });
    t.after(() => rt.close());
    const releases = rt.ports.releases;
    assert.ok(releases);
    const deployed = await releases.apply({
      release: 'agents',
      namespace: `${copy.prefix}-system`,
      components: ['vapora', 'developer'],
      manifests: [],
      objects: [],
      wait: true,
      timeoutMs: 120_000,
      signal: new AbortController().signal,
    });
    assert.ok(deployed.ready, deployed.reasons.join('; '));
    const given = {
      NATS_URL: nats.url,
      AGENT_ROLE: 'developer',
      min_replicas: '5',
      max_replicas: '20',
    };
    const runOnce = async () => {
      const r = await runWorkflow(rt, 'scale-agents', {
        dir: workspace,
        given,
        holder: 'scale-test',
      });
      assert.deepEqual(r.diagnostics, []);
      return r.end;
    };
    const scaleRef = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: `${copy.prefix}-agents`,
      name: 'developer',
    };

    const before = (await admin.getScale(scaleRef, { deadline: Date.now() + 10_000 })).replicas;
    const expected = Math.min(before + 2, 20);
    const up = await runOnce();
    assert.equal(up.phase, 'succeeded', JSON.stringify(up.steps));
    assert.deepEqual(up.steps['check-queue-depth']?.outputs, { value: 15 });
    assert.deepEqual(up.steps['decide-scaling']?.outputs, {
      action: 'scale_up',
      scale_to: expected,
    });
    assert.equal(
      (await admin.getScale(scaleRef, { deadline: Date.now() + 10_000 })).replicas,
      expected,
    );

    // 15 pending → ack 10 → 5 pending: inside the band, no change, the scaling step is skipped.
    const sub = await js.consumers.get('VAPORA_TASKS', 'developer');
    const batch = await sub.fetch({ max_messages: 10, expires: 5_000 });
    for await (const m of batch) m.ack();
    await nc.flush();
    const steady = await runOnce();
    assert.equal(steady.phase, 'succeeded');
    assert.deepEqual(steady.steps['check-queue-depth']?.outputs, { value: 5 });
    assert.equal(steady.steps['execute-scaling']?.status, 'skipped');
    assert.equal(
      (await admin.getScale(scaleRef, { deadline: Date.now() + 10_000 })).replicas,
      expected,
    );
  },
);
