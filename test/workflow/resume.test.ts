// Kill the runner with SIGKILL after each step of deploy-full-stack in turn; `berth workflow
// resume` (a new process, as on another machine) completes the run each time, and no completed
// step's mutation is repeated: each apply step's release keeps the revisions it had when the
// runner died (a repeated apply would ship a new revision), and the migration Job is created once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { connectKube } from '../../src/kube/connect.ts';
import { listRevisions } from '../../src/release/adapters/history-store.ts';
import { KubeRunStore } from '../../src/workflow/adapters/kube-store.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { startFakeChat } from '../support/fake-chat.ts';
import { auditLogOf, auditSize, stepMatchers, writesSince } from './support/audit.ts';
import { copyVapora } from './support/vapora.ts';

const root = join(import.meta.dirname, '..', '..');
const STEPS = [
  'create-cluster',
  'install-addons',
  'deploy-data',
  'deploy-core',
  'deploy-frontend',
  'deploy-agents',
  'health-check',
  'init-database',
  'configure-ingress',
];

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  runId?: string;
  killed: boolean;
}

/** Runs the CLI; with `killAfter`, SIGKILLs it as soon as that step is reported succeeded. */
function berth(args: string[], env: Record<string, string>, killAfter?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out: Outcome = { code: null, signal: null, killed: false };
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const e = JSON.parse(line) as { type: string; run?: string; step?: string; status?: string };
      if (e.type === 'run' && e.run) out.runId = e.run;
      if (killAfter && e.type === 'step' && e.step === killAfter && e.status === 'succeeded') {
        out.killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== null && code > 1)
        return reject(new Error(`berth ${args[1]} exited ${code}: ${stderr}`));
      resolve({ ...out, code, signal });
    });
  });
}

test(
  'SIGKILL after each step of deploy-full-stack, then resume: completes, no completed step repeated',
  { timeout: 900_000 },
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
    const common = ['-o', 'json', '--kubeconfig', kubeconfig, '--lease', '5'];
    const namespace = `${copy.prefix}-system`;
    const store = new KubeRunStore(api, namespace);
    const revisions = async (step: string) =>
      (
        await listRevisions(
          api,
          { name: `vapora-${step}`, namespace },
          { deadline: Date.now() + 15_000 },
        )
      ).length;

    const first = await berth(
      ['workflow', 'run', join(copy.dir, 'workflows/deploy-full-stack.yaml'), ...common],
      env,
      STEPS[0],
    );
    assert.ok(first.runId && first.killed, 'the first runner was killed after create-cluster');
    const id = first.runId;
    // The sandbox's API server audit log when the cluster is a sandbox that writes one (npm test's):
    // then no write after a resume may touch what a completed step wrote.
    const audit = auditLogOf(kubeconfig);
    const stored = await store.load(id);
    assert.ok(stored);
    const touches = await stepMatchers(copy.dir, stored.workflow, id);
    let auditedResumes = 0;
    let last = first;
    let kills = 1;
    for (const target of [...STEPS.slice(1), undefined]) {
      const before = await store.load(id);
      assert.ok(before);
      if (target && before.steps[target]?.status === 'succeeded') continue;
      // What was completed when the runner died, and what it had shipped.
      const done = Object.entries(before.steps)
        .filter(([, s]) => s.status === 'succeeded')
        .map(([n]) => n);
      const shipped = new Map<string, number>();
      for (const s of done)
        if (before.workflow.spec.steps.find((x) => x.name === s)?.task === 'apply')
          shipped.set(s, await revisions(s));
      const offset = audit ? auditSize(audit) : 0;
      last = await berth(['workflow', 'resume', id, ...common, '-n', namespace], env, target);
      if (audit) {
        auditedResumes++;
        const writes = writesSince(audit, offset).filter(
          (w) =>
            !w.user.startsWith('system:') &&
            (w.namespace === undefined || copy.namespaces.includes(w.namespace)),
        );
        for (const s of done) {
          const repeated = writes.filter((w) => touches.get(s)?.(w));
          assert.deepEqual(repeated, [], `completed step ${s} written again after resume`);
        }
      }
      if (last.killed) kills++;
      for (const [s, n] of shipped)
        assert.equal(await revisions(s), n, `step ${s} was applied again after resume`);
    }
    assert.equal(last.code, 0, 'the last resume completed the run');
    // Every step boundary but those of steps that finished in the same instant as another one.
    assert.ok(kills >= 7, `killed ${kills} times`);
    if (audit) assert.ok(auditedResumes >= 7, 'the audit log was checked after each resume');
    else
      t.diagnostic(
        `no API server audit log next to ${kubeconfig}: checked through release revisions only`,
      );
    const end = await store.load(id);
    assert.equal(end?.phase, 'succeeded');
    for (const s of STEPS) assert.equal(end?.steps[s]?.status, 'succeeded', s);
    const jobs = await api.list(
      { apiVersion: 'batch/v1', kind: 'Job', namespace },
      { deadline: Date.now() + 15_000, labelSelector: 'berth.dev/workflow-job=true' },
    );
    assert.equal(jobs.items.length, 1, 'one migration Job');
    assert.equal(chat.messages('slack').length, 1, 'the completion hook ran once');
  },
);
