/**
 * What the workflow commands share: cluster flags, parameters, the runtime (cluster port, run
 * store, sandbox when no cluster is configured), and driving a run while reporting its events.
 */
import type { Command } from 'commander';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { findClusterConfig } from '../kube/kubeconfig.ts';
import { systemClock } from '../workflow/adapters/clock.ts';
import { openRuntime, type Runtime } from '../workflow/adapters/runtime.ts';
import { executeRun } from '../workflow/engine.ts';
import type { WorkflowEvent } from '../workflow/events.ts';
import type { RunState } from '../workflow/model.ts';
import { applyEvent, eventLine, runTree } from '../workflow/report.ts';
import { taskMap } from '../workflow/tasks/index.ts';
import { ExitCode, type CliIO } from './io.ts';
import { version } from './version.ts';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  output: string;
}

export function withCluster(c: Command): Command {
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

export function checkOutput(o: string): 'text' | 'json' {
  if (o !== 'text' && o !== 'json')
    throw new UsageError(`--output must be text or json (got "${o}")`);
  return o;
}

export const LEASE_HELP =
  "seconds the run's lease lasts unless renewed: after a crash, resume can take over after it";

export function leaseOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 5)
    throw new UsageError(`--lease ${text}: a whole number of seconds, at least 5`);
  return n;
}

export function parseParams(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${p}: use --param name=value`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** Starts the berth sandbox (as `berth up` does) when no cluster is configured; its kubeconfig. */
export async function sandboxIfNoCluster(
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
  const { startSandbox } = await import('../sandbox/index.ts');
  const sandbox = await startSandbox({
    name: flags.sandbox,
    env: io.env,
    log: (line) => say(`  ${line}\n`),
  });
  return sandbox.kubeconfig;
}

export async function runtimeFor(
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
export async function drive(
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

export function summary(run: RunState) {
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
