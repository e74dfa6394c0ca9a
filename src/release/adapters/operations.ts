/**
 * The release operations the CLI runs: apply (with `--atomic`) and rollback. Each takes the
 * release lock for its whole duration, ships a revision, and releases the lock (ADR 0067).
 */
import type { ApplyEvent } from '../../deploy/events.ts';
import { BerthError, ErrorCode } from '../../errors.ts';
import { labelMembers } from '../applyset.ts';
import { rollbackTarget } from '../history.ts';
import { releaseSetId } from './members.ts';
import { manager } from './port.ts';
import type { KubeObject } from '../../model/object.ts';
import { RevisionStatus } from '../revision.ts';
import type { ReleaseContext, ShipOptions, ShipResult } from './ship.ts';
import { shipRevision } from './ship.ts';
import { acquireLock, type LockClock } from './lease.ts';
import { listRevisions, readRevision } from './history-store.ts';

export interface OperationOptions {
  /** Deadline of the whole operation, lock wait included (ms since the epoch). */
  deadline: number;
  /** The `--timeout` the deadline came from: an `--atomic` restore gets as long again. */
  timeoutMs: number;
  wait?: boolean;
  prune?: boolean;
  pruneVolumes?: boolean;
  force?: boolean;
  historyMax?: number;
  onEvent?: (event: ApplyEvent) => void;
  /** Told when another operation holds the lock and this one waits. */
  onLockWait?: (holder: string, operation: string) => void;
  onLockTakeOver?: (previousHolder: string) => void;
  /** Rollbacks (and `--atomic`'s restore) roll changed Deployments in one step (ADR 0126). @default true */
  surge?: boolean;
  /** Rollbacks apply what they change before the unchanged rest (ADR 0151). @default true */
  changedFirst?: boolean;
  /** @default 15 */
  leaseSeconds?: number;
  /** @default the system clock */
  lockClock?: LockClock;
  /** Lock holder identity. @default user@host pid N + random */
  identity?: string;
}

export interface ReleaseOutcome {
  /** The revision shipped first (the apply, or the rollback). */
  shipped: ShipResult;
  /** With `--atomic`, when the apply failed: the rollback that followed. */
  restored?: ShipResult & { target: number };
  /** With `--atomic`, when the apply failed and no earlier revision could be restored. */
  noRestoreReason?: string;
}

function shipOptions(o: OperationOptions, description: string): ShipOptions {
  return {
    deadline: o.deadline,
    description,
    ...(o.wait !== undefined ? { wait: o.wait } : {}),
    ...(o.prune !== undefined ? { prune: o.prune } : {}),
    ...(o.pruneVolumes !== undefined ? { pruneVolumes: o.pruneVolumes } : {}),
    ...(o.force !== undefined ? { force: o.force } : {}),
    ...(o.historyMax !== undefined ? { historyMax: o.historyMax } : {}),
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
  };
}

async function withLock<T>(
  ctx: ReleaseContext,
  operation: string,
  o: OperationOptions & { objects?: readonly KubeObject[] },
  fn: () => Promise<T>,
): Promise<T> {
  await ensureNamespace(ctx, o);
  const lock = await acquireLock(ctx.api, ctx.release, {
    operation,
    deadline: o.deadline,
    ...(o.leaseSeconds !== undefined ? { leaseSeconds: o.leaseSeconds } : {}),
    ...(o.lockClock ? { clock: o.lockClock } : {}),
    ...(o.identity ? { identity: o.identity } : {}),
    ...(o.onLockWait ? { onWait: o.onLockWait } : {}),
    ...(o.onLockTakeOver ? { onTakeOver: o.onLockTakeOver } : {}),
  });
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/**
 * The release namespace must exist before its lock can: when the objects declare it, it is
 * applied first (as the apply would anyway); otherwise a missing one is an error saying so.
 */
async function ensureNamespace(
  ctx: ReleaseContext,
  o: OperationOptions & { objects?: readonly KubeObject[] },
): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name: ctx.release.namespace };
  const b = { deadline: o.deadline };
  if (await ctx.api.get(ref, b)) return;
  const declared = o.objects?.find((x) => x.kind === 'Namespace' && x.metadata.name === ref.name);
  if (!declared)
    throw new BerthError(
      ErrorCode.usage,
      `release ${ctx.release.name}: namespace ${ref.name} does not exist; create it, or name another with --release-namespace`,
    );
  await ctx.api.apply(labelMembers([declared], releaseSetId(ctx.release))[0] ?? declared, {
    ...b,
    fieldManager: manager,
    force: true,
  });
}

/**
 * Applies `objects` as the next revision of the release. With `atomic`, a failed apply or wait
 * is followed by a rollback to the last deployed revision (waited for), recorded as its own
 * revision.
 */
export async function applyRelease(
  ctx: ReleaseContext,
  objects: readonly KubeObject[],
  o: OperationOptions & { atomic?: boolean; description?: string },
): Promise<ReleaseOutcome> {
  const description = o.description ?? (o.atomic ? 'apply --atomic' : 'apply');
  return withLock(ctx, description.split(' ')[0] ?? 'apply', { ...o, objects }, async () => {
    const shipped = await shipRevision(ctx, objects, shipOptions(o, description));
    if (!o.atomic || shipped.status !== RevisionStatus.failed) return { shipped };
    const history = await listRevisions(ctx.api, ctx.release, { deadline: o.deadline });
    let target: number;
    try {
      target = rollbackTarget(ctx.release.name, history);
    } catch (error) {
      return { shipped, noRestoreReason: error instanceof Error ? error.message : String(error) };
    }
    const record = await readRevision(ctx.api, ctx.release, target, { deadline: o.deadline });
    const restored = await shipRevision(ctx, record.objects, {
      ...shipOptions(
        { ...o, wait: true, deadline: Date.now() + o.timeoutMs },
        `rollback to ${target} (--atomic: revision ${shipped.revision} failed)`,
      ),
      restoredFrom: target,
      undoes: shipped.revision,
      surge: o.surge ?? true,
      // A wait that failed or timed out came after every object was applied (ADR 0151).
      changedFirst:
        (o.changedFirst ?? true) &&
        (shipped.apply.outcome === 'failed' || shipped.apply.outcome === 'timeout'),
    });
    return { shipped, restored: { ...restored, target } };
  });
}

/** Re-applies revision `toRevision` (default: the last deployed before the current one). */
export async function rollbackRelease(
  ctx: ReleaseContext,
  o: OperationOptions & { toRevision?: number },
): Promise<ShipResult & { target: number }> {
  return withLock(ctx, 'rollback', o, async () => {
    const history = await listRevisions(ctx.api, ctx.release, { deadline: o.deadline });
    const target = rollbackTarget(ctx.release.name, history, o.toRevision);
    const current = history.at(-1);
    const record = await readRevision(ctx.api, ctx.release, target, { deadline: o.deadline });
    const shipped = await shipRevision(ctx, record.objects, {
      ...shipOptions(o, `rollback to ${target}`),
      restoredFrom: target,
      ...(current ? { undoes: current.revision } : {}),
      surge: o.surge ?? true,
      // Only a deployed revision is known to be on the cluster whole (ADR 0151).
      changedFirst: (o.changedFirst ?? true) && current?.status === RevisionStatus.deployed,
    });
    return { ...shipped, target };
  });
}
