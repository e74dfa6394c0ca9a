// Workflow benchmark (issue 8 §6): seed 004's deploy-full-stack of vapora on the sandbox (wall
// time; seed target under 1 hour, ours under 60 s), the engine's overhead per step (state saved
// to a ConfigMap in the cluster after every transition, and in memory), and the time from a failed
// step (a crash-looping agent pool) to a completed rollback. Each round uses fresh namespaces.
// BERTH_BENCH_KUBECONFIG points at a running cluster; otherwise the default sandbox is started.
import { connectKube } from '../src/kube/connect.ts';
import type { KubeObject } from '../src/model/object.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { parseYamlStream } from '../src/yaml/stream.ts';
import { systemClock } from '../src/workflow/adapters/clock.ts';
import { findWorkflow } from '../src/workflow/adapters/files.ts';
import { KubeRunStore } from '../src/workflow/adapters/kube-store.ts';
import { openRuntime } from '../src/workflow/adapters/runtime.ts';
import { executeRun } from '../src/workflow/engine.ts';
import { parseWorkflows } from '../src/workflow/load.ts';
import { createRun, newRunId } from '../src/workflow/run-state.ts';
import { MemoryRunStore, type RunStore } from '../src/workflow/store.ts';
import { builtinTasks, taskMap } from '../src/workflow/tasks/index.ts';
import { startFakeChat } from '../test/support/fake-chat.ts';
import { runWorkflow } from '../test/workflow/support/run.ts';
import { copyVapora, crashLoop } from '../test/workflow/support/vapora.ts';
import { report } from './measure.ts';

const rounds = Number(process.env.BERTH_BENCH_ROUNDS ?? 3);
const kubeconfig =
  process.env.BERTH_BENCH_KUBECONFIG ??
  (await startSandbox({ log: (l) => console.log(`  sandbox: ${l}`) })).kubeconfig;
const api = await connectKube({ kubeconfig });
const chat = await startFakeChat();
const env = { SLACK_WEBHOOK: chat.slackUrl };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function deployOnce(transform?: (o: KubeObject[]) => KubeObject[]) {
  const copy = await copyVapora();
  try {
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
    try {
      return await runWorkflow(rt, 'deploy-full-stack', { dir: workspace, env, holder: 'bench' });
    } finally {
      await rt.close();
    }
  } finally {
    await copy.dispose(api);
  }
}

// 1. deploy-full-stack wall time.
const walls: number[] = [];
for (let i = 0; i < rounds; i++) {
  const { end, ms } = await deployOnce();
  if (end.phase !== 'succeeded') throw new Error(`round ${i + 1}: ${end.phase}: ${end.reason}`);
  console.log(`round ${i + 1}: deploy-full-stack ${Math.round(ms)} ms`);
  walls.push(ms);
}
report({
  suite: 'workflow',
  metric: `deploy-full-stack of vapora (9 steps, 19 components) on the sandbox, wall time, median of ${rounds}`,
  unit: 'ms',
  berth: median(walls),
  target: '< 60 s (seed: < 1 hour)',
});

// 2. Engine overhead per step: 30 sequential steps whose task does nothing (sleep 0s).
const N = 30;
const text = `apiVersion: berth.dev/v1alpha1
kind: Workflow
metadata: { name: overhead }
spec:
  steps:
${Array.from({ length: N }, (_, i) => `    - { name: s${i}, task: sleep, params: { duration: 0s }${i > 0 ? `, dependsOn: [s${i - 1}]` : ''} }`).join('\n')}
`;
const wf = parseWorkflows([parseYamlStream(text, 'overhead.yaml')], builtinTasks).workflows[0];
if (!wf) throw new Error('overhead workflow invalid');
async function overhead(store: RunStore): Promise<number> {
  const run = createRun(
    wf as NonNullable<typeof wf>,
    newRunId('overhead', Date.now(), Math.random),
    {},
    Date.now(),
  );
  const start = performance.now();
  const end = await executeRun(run, {
    tasks: taskMap(),
    store,
    clock: systemClock,
    ports: {},
    holder: 'bench',
  });
  if (end.phase !== 'succeeded') throw new Error(`overhead run ${end.phase}`);
  return (performance.now() - start) / N;
}
const ns = `wf-bench-${Date.now().toString(36)}`;
const kubeStore = new KubeRunStore(api, ns);
const perStepKube = median([
  await overhead(kubeStore),
  await overhead(kubeStore),
  await overhead(kubeStore),
]);
await api.delete(
  { apiVersion: 'v1', kind: 'Namespace', name: ns },
  { deadline: Date.now() + 30_000 },
);
const perStepMemory = median([
  await overhead(new MemoryRunStore()),
  await overhead(new MemoryRunStore()),
  await overhead(new MemoryRunStore()),
]);
report({
  suite: 'workflow',
  metric: `engine overhead per step, state saved to a ConfigMap on the sandbox after every transition (${N} no-op steps)`,
  unit: 'ms',
  berth: perStepKube,
  target: '< 50 ms',
});
report({
  suite: 'workflow',
  metric: `engine overhead per step, state in memory (${N} no-op steps)`,
  unit: 'ms',
  berth: perStepMemory,
  target: '< 50 ms',
});

// 3. Failure → rollback done: a crash-looping agent pool.
const failed = await deployOnce(crashLoop('developer'));
const failedAt = failed.events.find((e) => e.type === 'step' && e.status === 'failed')?.at;
const doneAt = failed.events.find((e) => e.type === 'run' && e.phase === 'failed')?.at;
if (failed.end.rollback?.status !== 'done' || failedAt === undefined || doneAt === undefined)
  throw new Error(`rollback did not complete: ${JSON.stringify(failed.end.rollback)}`);
report({
  suite: 'workflow',
  metric:
    'failed step (crash-looping agent pool) to completed rollback of 5 apply steps, in reverse order',
  unit: 'ms',
  berth: doneAt - failedAt,
});
await chat.close();
api.close();
