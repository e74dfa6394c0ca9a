import { resolve } from 'node:path';
import { loadApplyInput } from '../../deploy/input.ts';
import { formatDiffs, hasChanges, summarizeDiffs } from '../../release/diff/render.ts';
import { diffRelease } from '../../release/adapters/diff-release.ts';
import { describeRef } from '../../model/object.ts';
import { addChartFlags, chartOptionsOf, type ChartFlags } from '../chart-flags.ts';
import type { CliCommand } from '../command.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { connect, releaseOfInput, type ConnectFlags } from '../release-support.ts';
import { addClusterOptions, checkOutput } from './apply.ts';

interface DiffFlags extends ConnectFlags, ChartFlags {
  output: string;
  timeout: string;
  prune: boolean;
  pruneVolumes?: boolean;
}

async function runDiff(io: CliIO, path: string, flags: DiffFlags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const timeoutMs = parseDurationFlag(flags.timeout);
  const deadline = Date.now() + timeoutMs;
  const input = await loadApplyInput(
    path === '-' ? '-' : resolve(io.cwd, path),
    () => io.readStdin(),
    { cwd: io.cwd, env: io.env, chart: chartOptionsOf(flags) },
  );
  const conn = await connect(io, flags);
  try {
    const release = await releaseOfInput(input, flags, conn.api.defaultNamespace);
    const report = await diffRelease(conn.api, input.objects, {
      deadline,
      prune: flags.prune,
      pruneVolumes: flags.pruneVolumes ?? false,
      ...(release ? { release } : {}),
    });
    const summary = summarizeDiffs(report.diffs);
    if (output === 'json') {
      io.out(
        `${JSON.stringify(
          {
            apiVersion: 'berth.dev/v1alpha1',
            kind: 'DiffResult',
            ...(release ? { release } : {}),
            summary,
            objects: report.diffs,
            refused: report.refused,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      io.out(formatDiffs(report.diffs));
      for (const r of report.refused) io.err(`refused: ${describeRef(r.ref)}: ${r.message}\n`);
    }
    if (report.refused.length) return ExitCode.invalid;
    return hasChanges(summary) ? ExitCode.problems : ExitCode.ok;
  } finally {
    conn.close();
  }
}

export const diffCommand: CliCommand = {
  name: 'diff',
  register(program, run) {
    const command = program
      .command('diff <path>')
      .description(
        'Show what apply would change: a server-side dry run against the live cluster, one unified diff per object (Secret values masked), what would be pruned, and fields taken back from other managers; exit 0 when nothing would change, 1 when something would',
      )
      .option('-o, --output <format>', 'text or json (one DiffResult document)', 'text')
      .option('--timeout <duration>', 'deadline for the whole diff (90s, 5m)', '2m')
      .option('--no-prune', 'do not list what the release would prune')
      .option('--prune-volumes', 'count PersistentVolumeClaims and Namespaces as prunable');
    addChartFlags(addClusterOptions(command)).action(
      run((io, path: string, flags: DiffFlags) => runDiff(io, path, flags)),
    );
  },
};
