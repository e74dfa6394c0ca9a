import type { CliCommand } from '../command.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { listRevisions } from '../../release/adapters/history-store.ts';
import type { RevisionInfo } from '../../release/revision.ts';
import {
  addReleaseNamespace,
  connect,
  findRelease,
  type ConnectFlags,
} from '../release-support.ts';
import { addClusterOptions, checkOutput } from './apply.ts';

interface HistoryFlags extends ConnectFlags {
  namespace?: string;
  output: string;
  timeout: string;
}

/** The history table: one row per revision, oldest first, as `helm history` prints it. */
export function formatHistory(rows: readonly RevisionInfo[]): string {
  const header = ['REVISION', 'UPDATED', 'STATUS', 'IMAGES', 'BY', 'DESCRIPTION'];
  const table = rows.map((r) => [
    String(r.revision),
    r.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    r.status,
    String(r.images.length),
    r.by,
    r.description,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...table.map(line)].join('\n') + '\n';
}

async function runHistory(io: CliIO, name: string, flags: HistoryFlags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const deadline = Date.now() + parseDurationFlag(flags.timeout);
  const conn = await connect(io, flags);
  try {
    const release = await findRelease(conn.api, name, flags.namespace, deadline);
    const rows = await listRevisions(conn.api, release, { deadline });
    if (output === 'json')
      io.out(
        `${JSON.stringify({ apiVersion: 'berth.dev/v1alpha1', kind: 'ReleaseHistory', release, revisions: rows }, null, 2)}\n`,
      );
    else io.out(formatHistory(rows));
    return ExitCode.ok;
  } finally {
    conn.close();
  }
}

export const historyCommand: CliCommand = {
  name: 'history',
  register(program, run) {
    const command = program
      .command('history <release>')
      .description(
        "List a release's revisions (stored in the cluster): time, status, images, who applied it and what it was",
      )
      .option('-o, --output <format>', 'text or json (one ReleaseHistory document)', 'text')
      .option('--timeout <duration>', 'deadline (90s, 5m)', '1m');
    addReleaseNamespace(addClusterOptions(command)).action(
      run((io, name: string, flags: HistoryFlags) => runHistory(io, name, flags)),
    );
  },
};
