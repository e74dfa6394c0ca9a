import type { Command } from 'commander';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../../errors.ts';
import { findWorkflow } from '../../workflow/adapters/files.ts';
import { graphDot, graphMermaid, graphText, waves } from '../../workflow/graph.ts';
import type { Workflow } from '../../workflow/model.ts';
import { runTree } from '../../workflow/report.ts';
import { createRun, newRunId, prepareResume, resolveParams } from '../../workflow/run-state.ts';
import { RunNotFoundError } from '../../workflow/store.ts';
import { builtinTasks, taskMap } from '../../workflow/tasks/index.ts';
import type { ActionRunner, CliCommand } from '../command.ts';
import { ExitCode, type CliIO } from '../io.ts';
import {
  type ClusterFlags,
  withCluster,
  checkOutput,
  LEASE_HELP,
  leaseOf,
  parseParams,
  sandboxIfNoCluster,
  runtimeFor,
  drive,
  summary,
} from '../workflow-support.ts';

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
