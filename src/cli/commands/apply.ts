import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applyObjects } from '../../deploy/apply.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import type { ApplyResult } from '../../deploy/events.ts';
import { loadApplyInput, type ApplyInput } from '../../deploy/input.ts';
import { formatSummary } from '../../deploy/progress/format.ts';
import { liveReporter, plainReporter, silentReporter } from '../../deploy/progress/reporters.ts';
import { BerthError, ErrorCode, UsageError } from '../../errors.ts';
import { FieldManager } from '../../kube/api.ts';
import { connectKube } from '../../kube/connect.ts';
import { KubeError, TimeoutError } from '../../kube/errors.ts';
import type { HttpKube } from '../../kube/http/http-kube.ts';
import type { KubeObject } from '../../model/object.ts';
import { addChartFlags, chartOptionsOf, type ChartFlags } from '../chart-flags.ts';
import {
  addReleaseApplyOptions,
  applyAsRelease,
  type ReleaseApplyFlags,
} from '../release-support.ts';
import type { CliCommand } from '../command.ts';
import { ExitCode, type CliIO } from '../io.ts';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}

export interface ApplyFlags extends ClusterFlags, ChartFlags, ReleaseApplyFlags {
  wait?: boolean;
  timeout: string;
  output: string;
  dryRun?: string;
  forceConflicts: boolean;
}

/** `--kubeconfig` and `--context`, shared by every command that talks to a cluster. */
export function addClusterOptions(command: Command): Command {
  return command
    .option(
      '--kubeconfig <path>',
      'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)',
    )
    .option('--context <name>', 'kubeconfig context to use (default: its current-context)');
}

export function checkOutput(output: string): 'text' | 'json' {
  if (output === 'text' || output === 'json') return output;
  throw new UsageError(`--output ${output}: must be text or json`);
}

/** Runs after the apply while the connection is open, with what the wait observed. */
export type AfterApply = (
  api: HttpKube,
  result: ApplyResult,
  observed: readonly KubeObject[],
) => Promise<void>;

/**
 * Loads the input, connects, applies and reports; `after` runs while the connection is still
 * open (`up` prints its status table there). Shared by `apply` and `up`. A failure of the
 * cluster itself (credentials refused, server silent or unreachable) is reported once; with
 * `-o json` as a JSON error document.
 */
export async function executeApply(
  io: CliIO,
  path: string,
  flags: ApplyFlags,
  after?: AfterApply,
): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const timeoutMs = parseDurationFlag(flags.timeout);
  if (flags.dryRun !== undefined && flags.dryRun !== 'server' && flags.dryRun !== 'none')
    throw new UsageError(`--dry-run=${flags.dryRun}: only --dry-run=server is supported`);
  const dryRun = flags.dryRun === 'server';
  const input = await loadApplyInput(
    path === '-' ? '-' : resolve(io.cwd, path),
    () => io.readStdin(),
    {
      cwd: io.cwd,
      env: io.env,
      chart: chartOptionsOf(flags),
    },
  );
  try {
    const api = await connectKube({
      ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      env: io.env,
    });
    try {
      return await applyWith(io, api, input, { output, timeoutMs, dryRun, flags, after });
    } finally {
      api.close();
    }
  } catch (error) {
    const failure = clusterFailure(error, flags.timeout);
    if (output !== 'json' || !failure) throw failure ?? error;
    io.out(`${JSON.stringify(errorDocument(failure), null, 2)}\n`);
    return ExitCode.problems;
  }
}

/** A cluster failure with what the user asked for (`--timeout`) added; undefined otherwise. */
function clusterFailure(error: unknown, timeout: string): BerthError | undefined {
  if (error instanceof TimeoutError)
    return new BerthError(ErrorCode.timeout, `${error.message} (gave up at --timeout ${timeout})`, {
      cause: error,
    });
  if (
    error instanceof BerthError &&
    (error.code === ErrorCode.cluster || error.code === ErrorCode.timeout)
  )
    return error;
  return undefined;
}

/** The `-o json` document of a failure: `kind: Error`, with the server's reason when known. */
export function errorDocument(error: BerthError): Record<string, unknown> {
  const cause = error.cause instanceof KubeError ? error.cause : error;
  return {
    apiVersion: 'berth.dev/v1alpha1',
    kind: 'Error',
    code: error.code,
    ...(cause instanceof KubeError
      ? {
          reason: cause.reason,
          ...(cause.server ? { server: cause.server } : {}),
          ...(cause.status !== undefined ? { status: cause.status } : {}),
        }
      : {}),
    message: error.message,
  };
}

async function applyWith(
  io: CliIO,
  api: HttpKube,
  input: ApplyInput,
  o: {
    output: 'text' | 'json';
    timeoutMs: number;
    dryRun: boolean;
    flags: ApplyFlags;
    after: AfterApply | undefined;
  },
): Promise<ExitCode> {
  const { output, timeoutMs, dryRun, flags } = o;
  const reporter =
    output === 'json' ? silentReporter() : io.isTTY ? liveReporter(io) : plainReporter(io);
  if (output === 'text')
    io.out(
      `Applying ${input.objects.length} object(s) from ${input.source} to context "${api.config.context}" (${api.server})${dryRun ? ', server dry run' : ''}\n`,
    );
  let observed: readonly KubeObject[] = [];
  const common = {
    fieldManager: FieldManager.cli,
    context: api.config.context,
    onObserved: (objects: readonly KubeObject[]) => (observed = objects),
  };
  // A berth spec, or manifests with --release, ship as a release: recorded, pruned, locked
  // (src/release, docs/release.md). A dry run and plain manifests apply as they are.
  const released = dryRun
    ? undefined
    : await applyAsRelease(
        io,
        { api, applier: (objects, ao) => applyObjects(api, objects, { ...ao, ...common }) },
        input,
        {
          flags,
          timeoutMs,
          wait: flags.wait ?? false,
          force: flags.forceConflicts,
          onEvent: reporter,
        },
      );
  const result =
    released?.result ??
    (await applyObjects(api, input.objects, {
      ...common,
      wait: flags.wait ?? false,
      timeoutMs,
      dryRun,
      force: flags.forceConflicts,
      onEvent: reporter,
    }));
  if (output === 'json')
    io.out(
      `${JSON.stringify(released ? { ...result, release: released.json } : result, null, 2)}\n`,
    );
  else io.out(formatSummary(result, timeoutMs) + (released?.text ?? ''));
  const ok = released ? released.ok : result.outcome === 'ready' || result.outcome === 'applied';
  if (o.after) await o.after(api, result, observed);
  return ok ? ExitCode.ok : ExitCode.problems;
}

export const applyCommand: CliCommand = {
  name: 'apply',
  register(program, run) {
    const command = program
      .command('apply <path>')
      .description(
        'Server-side apply a berth spec (rendered on the fly), a Helm chart, a kustomization or rendered manifests (files, folders, - for stdin) in dependency order; with --wait, until everything is ready',
      )
      .option(
        '--wait',
        'wait until every object is ready; fails fast on crash loops, image pull errors and exceeded progress deadlines',
      )
      .option('--timeout <duration>', 'deadline for the apply and the wait (90s, 5m, 1h)', '5m')
      .option(
        '-o, --output <format>',
        'text or json (one ApplyResult document, see docs/deploy.md)',
        'text',
      )
      .option(
        '--dry-run <mode>',
        'server: the API server admits and validates every object without persisting it',
      )
      .option(
        '--no-force-conflicts',
        'fail on fields owned by another field manager instead of taking them over',
      );
    addReleaseApplyOptions(addChartFlags(addClusterOptions(command))).action(
      run((io, path: string, flags: ApplyFlags) => {
        return executeApply(io, path, flags);
      }),
    );
  },
};
