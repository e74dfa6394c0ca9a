import { formatSummary } from '../../deploy/progress/format.ts';
import { UsageError } from '../../errors.ts';
import { rollbackRelease } from '../../release/adapters/operations.ts';
import type { CliCommand } from '../command.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import { ExitCode, type CliIO } from '../io.ts';
import {
  addLockOptions,
  addReleaseNamespace,
  connect,
  findRelease,
  formatShipLines,
  lockMessages,
  maybeForceUnlock,
  releaseContext,
  reporterFor,
  shipJson,
  type ConnectFlags,
  type LockFlags,
} from '../release-support.ts';
import { addClusterOptions, checkOutput } from './apply.ts';

interface RollbackFlags extends ConnectFlags, LockFlags {
  namespace?: string;
  toRevision?: string;
  wait?: boolean;
  timeout: string;
  output: string;
  prune: boolean;
  pruneVolumes?: boolean;
  surge: boolean;
  changedFirst: boolean;
}

function revisionFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--to-revision ${text}: must be a revision number (1, 2, ...)`);
  return n;
}

async function runRollback(io: CliIO, name: string, flags: RollbackFlags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const toRevision = revisionFlag(flags.toRevision);
  const timeoutMs = parseDurationFlag(flags.timeout);
  const deadline = Date.now() + timeoutMs;
  const conn = await connect(io, flags);
  try {
    const release = await findRelease(conn.api, name, flags.namespace, deadline);
    await maybeForceUnlock(io, conn.api, release, flags);
    if (output === 'text')
      io.out(
        `Rolling back release ${release.name} (namespace ${release.namespace}) on ${conn.where}${toRevision ? ` to revision ${toRevision}` : ''}\n`,
      );
    const r = await rollbackRelease(releaseContext(conn, release), {
      deadline,
      timeoutMs,
      wait: flags.wait ?? false,
      prune: flags.prune,
      pruneVolumes: flags.pruneVolumes ?? false,
      surge: flags.surge,
      changedFirst: flags.changedFirst,
      onEvent: reporterFor(io, output),
      ...lockMessages(io, release),
      ...(toRevision !== undefined ? { toRevision } : {}),
    });
    if (output === 'json')
      io.out(
        `${JSON.stringify({ ...r.apply, release: { ...release, ...shipJson(r), restored: r.target } }, null, 2)}\n`,
      );
    else {
      io.out(formatSummary(r.apply, timeoutMs));
      io.out(formatShipLines(r));
      io.out(
        `release ${release.name}: revision ${r.revision} ${r.status}, restoring revision ${r.target}\n`,
      );
    }
    return r.status === 'deployed' ? ExitCode.ok : ExitCode.problems;
  } finally {
    conn.close();
  }
}

export const rollbackCommand: CliCommand = {
  name: 'rollback',
  register(program, run) {
    const command = program
      .command('rollback <release>')
      .description(
        'Re-apply a recorded revision of a release (default: the last deployed one before the current), prune what later revisions added, and record it as a new revision',
      )
      .option('--to-revision <n>', 'the revision to restore (see berth history)')
      .option('--wait', 'wait until every restored object is ready')
      .option('--timeout <duration>', 'deadline for the lock, the apply and the wait', '5m')
      .option(
        '-o, --output <format>',
        'text or json (an ApplyResult with a release section)',
        'text',
      )
      .option('--no-prune', 'keep objects the restored revision does not have')
      .option(
        '--prune-volumes',
        'also delete PersistentVolumeClaims and Namespaces it does not have',
      )
      .option(
        '--no-surge',
        'with --wait, roll changed Deployments at their declared pace instead of all replicas at once (maxSurge 100%, then their strategy re-applied)',
      )
      .option(
        '--no-changed-first',
        'apply every object in dependency order, instead of what the rollback changes (and what its pods use) before the unchanged rest',
      );
    addLockOptions(addReleaseNamespace(addClusterOptions(command))).action(
      run((io, name: string, flags: RollbackFlags) => runRollback(io, name, flags)),
    );
  },
};
