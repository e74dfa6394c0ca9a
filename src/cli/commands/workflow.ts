import type { Command } from 'commander';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../../errors.ts';
import { findClusterConfig } from '../../kube/kubeconfig.ts';
import { systemClock } from '../../workflow/adapters/clock.ts';
import { findWorkflow } from '../../workflow/adapters/files.ts';
import { openRuntime, type Runtime } from '../../workflow/adapters/runtime.ts';
import { executeRun } from '../../workflow/engine.ts';
import type { WorkflowEvent } from '../../workflow/events.ts';
import { graphDot, graphMermaid, graphText, waves } from '../../workflow/graph.ts';
import type { RunState, Workflow } from '../../workflow/model.ts';
import { applyEvent, eventLine, runTree } from '../../workflow/report.ts';
import { createRun, newRunId, prepareResume, resolveParams } from '../../workflow/run-state.ts';
import { RunNotFoundError } from '../../workflow/store.ts';
import { builtinTasks, taskMap } from '../../workflow/tasks/index.ts';
import type { ActionRunner, CliCommand } from '../command.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { version } from '../version.ts';

interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  output: string;
}

function withCluster(c: Command): Command {
  return c
    .option('--kubeconfig <file>', 'kubeconfig file (else KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', "where runs are stored (else the workflow's or platform's)")
    .option(
      '-o, --output <format>',
      'text, or json (one event per line, then the final state)',
      'text',
    );
}

function checkOutput(o: string): 'text' | 'json' {
  if (o !== 'text' && o !== 'json')
    throw new UsageError(`--output must be text or json (got "${o}")`);
  return o;
}

const LEASE_HELP =
  "seconds the run's lease lasts unless renewed: after a crash, resume can take over after it";

function leaseOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 5)
    throw new UsageError(`--lease ${text}: a whole number of seconds, at least 5`);
  return n;
}

function parseParams(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${p}: use --param name=value`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** Starts the berth sandbox (as `berth up` does) when no cluster is configured; its kubeconfig. */
async function sandboxIfNoCluster(
  io: CliIO,
  flags: ClusterFlags & { sandbox: string },
  output: 'text' | 'json',
): Promise<string | undefined> {
  const configured = findClusterConfig({
    ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
    env: io.env,
  });
  if (configured) return undefined;
  const say = (line: string) => (output === 'json' ? io.err(line) : io.out(line));
  say('No cluster configured: starting the berth sandbox.\n');
  // Loaded only when needed: the sandbox module pulls in heavy dependencies.
  const { startSandbox } = await import('../../sandbox/index.ts');
  const sandbox = await startSandbox({
    name: flags.sandbox,
    env: io.env,
    log: (line) => say(`  ${line}\n`),
  });
  return sandbox.kubeconfig;
}

async function runtimeFor(
  io: CliIO,
  flags: ClusterFlags,
  workspaceDir?: string,
  namespace?: string,
  sandbox?: boolean,
) {
  return openRuntime({
    ...(sandbox !== undefined ? { sandbox } : {}),
    ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...((flags.namespace ?? namespace) ? { namespace: flags.namespace ?? namespace } : {}),
    ...(workspaceDir ? { workspaceDir } : {}),
    env: io.env,
    clock: systemClock,
    berthVersion: version,
  });
}

/** Drives a run with the live view the output asks for; returns the exit code. */
async function drive(
  io: CliIO,
  rt: Runtime,
  run: RunState,
  output: 'text' | 'json',
  secrets: Record<string, unknown>,
  leaseSeconds: number,
) {
  let view = run;
  const progress: Record<string, string> = {};
  let drawn = 0;
  const draw = () => {
    const text = runTree(view, Date.now(), progress);
    io.out(`${drawn > 0 ? `\x1b[${drawn}A\x1b[J` : ''}${text}`);
    drawn = text.split('\n').length - 1;
  };
  const onEvent = (e: WorkflowEvent) => {
    if (output === 'json') return io.out(`${JSON.stringify(e)}\n`);
    if (!io.isTTY) return io.out(`${eventLine(e)}\n`);
    if (e.type === 'progress') progress[e.step] = e.message;
    else view = applyEvent(view, e);
    draw();
  };
  const end = await executeRun(run, {
    tasks: taskMap(),
    store: rt.store,
    clock: systemClock,
    ports: rt.ports,
    holder: `${hostname()} pid ${process.pid}`,
    secrets,
    onEvent,
    leaseMs: leaseSeconds * 1000,
  });
  if (output === 'json') io.out(`${JSON.stringify({ type: 'result', run: summary(end) })}\n`);
  else if (io.isTTY) {
    view = end;
    draw();
  } else io.out(runTree(end, Date.now()));
  return end.phase === 'succeeded' ? ExitCode.ok : ExitCode.problems;
}

function summary(run: RunState) {
  return {
    id: run.id,
    workflow: run.workflow.name,
    phase: run.phase,
    reason: run.reason,
    failedStep: run.failedStep,
    rollback: run.rollback?.status,
    steps: Object.fromEntries(
      Object.entries(run.steps).map(([k, v]) => [
        k,
        {
          status: v.status,
          attempts: v.attempts,
          message: v.message,
          rollback: v.rollback?.status,
        },
      ]),
    ),
    hooks: run.hooks,
  };
}

function registerRun(wf: Command, run: ActionRunner) {
  withCluster(wf.command('run <workflow>'))
    .description(
      'run a workflow (a file, or a name in ./workflows/); exit 0 succeeded, 1 failed, 2 bad input',
    )
    .option(
      '-p, --param <name=value>',
      'a parameter (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--dry-run', 'validate and print the plan (waves of steps); run nothing')
    .option('--lease <seconds>', LEASE_HELP, '15')
    .option(
      '--sandbox <name>',
      'the berth sandbox to start when no cluster is configured',
      'default',
    )
    .action(
      run(
        async (
          io: CliIO,
          ref: string,
          flags: ClusterFlags & {
            param: string[];
            dryRun?: boolean;
            lease: string;
            sandbox: string;
          },
        ) => {
          const output = checkOutput(flags.output);
          const { workflow, workspace } = await findWorkflow(ref, io.cwd, builtinTasks);
          const { params, secrets, diagnostics } = resolveParams(
            workflow.spec.params,
            parseParams(flags.param),
            io.env,
          );
          if (diagnostics.length > 0) throw new InvalidInputError(diagnostics);
          if (flags.dryRun) {
            io.out(
              output === 'json'
                ? `${JSON.stringify({
                    workflow: workflow.name,
                    waves: waves(
                      workflow.spec.steps.map((s) => s.name),
                      workflow.dependencies,
                    ),
                  })}\n`
                : graphText(nodesOf(workflow), workflow.dependencies),
            );
            return ExitCode.ok;
          }
          const sandbox = await sandboxIfNoCluster(io, flags, output);
          const rt = await runtimeFor(
            io,
            sandbox ? { ...flags, kubeconfig: sandbox } : flags,
            workspace,
            workflow.namespace,
            sandbox !== undefined,
          );
          try {
            const id = newRunId(workflow.name, Date.now(), Math.random);
            if (output === 'text') io.err(`run ${id} (resume with: berth workflow resume ${id})\n`);
            return await drive(
              io,
              rt,
              createRun(workflow, id, params, Date.now()),
              output,
              secrets,
              leaseOf(flags.lease),
            );
          } finally {
            await rt.close();
          }
        },
      ),
    );
}

function registerResume(wf: Command, run: ActionRunner) {
  withCluster(wf.command('resume <run>'))
    .description('continue a run after a crash, from any machine: completed steps are not repeated')
    .option(
      '--workspace <dir>',
      "the workspace folder (else the one recorded with the run's workflow)",
    )
    .option('--lease <seconds>', LEASE_HELP, '15')
    .action(
      run(
        async (
          io: CliIO,
          id: string,
          flags: ClusterFlags & { workspace?: string; lease: string },
        ) => {
          const output = checkOutput(flags.output);
          const rt = await runtimeFor(io, flags);
          try {
            const stored = await rt.store.load(id);
            if (!stored)
              throw new InvalidInputError([{ message: new RunNotFoundError(id).message }]);
            const ws = flags.workspace
              ? resolve(io.cwd, flags.workspace)
              : workspaceOf(stored.workflow);
            await rt.close();
            const rt2 = await runtimeFor(io, flags, ws, rt.store.namespace);
            try {
              const { run: ready, notes } = prepareResume(stored, taskMap());
              for (const n of notes) io.err(`${n}\n`);
              const { secrets } = resolveParams(
                stored.workflow.spec.params.filter((p) => p.secret),
                {},
                io.env,
              );
              return await drive(io, rt2, ready, output, secrets, leaseOf(flags.lease));
            } finally {
              await rt2.close();
            }
          } catch (error) {
            await rt.close();
            throw error;
          }
        },
      ),
    );
}

function workspaceOf(w: Workflow): string | undefined {
  return w.file ? resolve(w.file, '..', w.spec.workspace) : undefined;
}

function nodesOf(w: Workflow) {
  return w.spec.steps.map((s) => ({
    name: s.name,
    task: s.task,
    ...(s.when ? { when: s.when } : {}),
  }));
}

function registerQueries(wf: Command, run: ActionRunner) {
  withCluster(wf.command('list'))
    .description('list runs stored in the namespace')
    .action(
      run(async (io: CliIO, flags: ClusterFlags) => {
        const output = checkOutput(flags.output);
        const rt = await runtimeFor(io, flags);
        try {
          const runs = await rt.store.list();
          if (output === 'json') io.out(`${JSON.stringify(runs, null, 2)}\n`);
          else
            for (const r of runs)
              io.out(
                `${r.id.padEnd(48)} ${r.workflow.padEnd(24)} ${r.phase.padEnd(12)} ${new Date(r.startedAt).toISOString()}${r.reason ? `  ${r.reason}` : ''}\n`,
              );
          return ExitCode.ok;
        } finally {
          await rt.close();
        }
      }),
    );
  withCluster(wf.command('status <run>'))
    .description(
      'the steps of a run with state, duration and reason (exit 1 when it failed or was cancelled)',
    )
    .action(
      run(async (io: CliIO, id: string, flags: ClusterFlags) => {
        const output = checkOutput(flags.output);
        const rt = await runtimeFor(io, flags);
        try {
          const r = await rt.store.load(id);
          if (!r) throw new InvalidInputError([{ message: new RunNotFoundError(id).message }]);
          io.out(
            output === 'json' ? `${JSON.stringify(summary(r), null, 2)}\n` : runTree(r, Date.now()),
          );
          return r.phase === 'succeeded' || r.phase === 'running' ? ExitCode.ok : ExitCode.problems;
        } finally {
          await rt.close();
        }
      }),
    );
}

function registerControl(wf: Command, run: ActionRunner) {
  withCluster(wf.command('cancel <run>'))
    .description(
      'stop a run: running steps are stopped, nothing new starts (read by its runner within a second)',
    )
    .action(
      run(async (io: CliIO, id: string, flags: ClusterFlags) => {
        const rt = await runtimeFor(io, flags);
        try {
          if (!(await rt.store.load(id)))
            throw new InvalidInputError([{ message: new RunNotFoundError(id).message }]);
          await rt.store.requestCancel(id);
          io.out(`cancel requested for run ${id}\n`);
          return ExitCode.ok;
        } finally {
          await rt.close();
        }
      }),
    );
  withCluster(wf.command('approve <run> <step>'))
    .description('let an approve step of a run go on')
    .action(
      run(async (io: CliIO, id: string, step: string, flags: ClusterFlags) => {
        const rt = await runtimeFor(io, flags);
        try {
          const r = await rt.store.load(id);
          if (!r) throw new InvalidInputError([{ message: new RunNotFoundError(id).message }]);
          const s = r.workflow.spec.steps.find((x) => x.name === step);
          if (s?.task !== 'approve')
            throw new UsageError(`run ${id} has no approve step "${step}"`);
          await rt.store.approve(id, step, `${io.env.USER ?? 'someone'}@${hostname()}`);
          io.out(`approved ${step} of run ${id}\n`);
          return ExitCode.ok;
        } finally {
          await rt.close();
        }
      }),
    );
}

function registerGraph(wf: Command, run: ActionRunner) {
  wf.command('graph <workflow>')
    .description('print the DAG: text (waves), mermaid or dot')
    .option('--format <format>', 'text, mermaid or dot', 'text')
    .action(
      run(async (io: CliIO, ref: string, flags: { format: string }) => {
        const { workflow } = await findWorkflow(ref, io.cwd, builtinTasks);
        const nodes = nodesOf(workflow);
        if (flags.format === 'mermaid') io.out(graphMermaid(nodes, workflow.dependencies));
        else if (flags.format === 'dot')
          io.out(graphDot(workflow.name, nodes, workflow.dependencies));
        else if (flags.format === 'text') io.out(graphText(nodes, workflow.dependencies));
        else throw new UsageError(`--format must be text, mermaid or dot (got "${flags.format}")`);
        return ExitCode.ok;
      }),
    );
}

export const workflowCommand: CliCommand = {
  name: 'workflow',
  register(program, run) {
    const wf = program
      .command('workflow')
      .description(
        'run DAG workflows (apply, wait, jobs, scale, rollback...): resumable, reversible',
      );
    registerRun(wf, run);
    registerResume(wf, run);
    registerQueries(wf, run);
    registerControl(wf, run);
    registerGraph(wf, run);
  },
};
