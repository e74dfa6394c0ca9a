/**
 * History rules (pure): the next revision number, which statuses change when a revision is
 * recorded, which revisions to trim past `--history-max`, and which one a rollback restores.
 */
import { BerthError, ErrorCode } from '../errors.ts';
import { RevisionStatus, type RevisionInfo } from './revision.ts';

export type HistoryEntry = Pick<RevisionInfo, 'revision' | 'status'>;

/** @default 10, as Helm's `--history-max`. */
export const defaultHistoryMax = 10;

export function nextRevision(history: readonly HistoryEntry[]): number {
  return history.reduce((max, h) => Math.max(max, h.revision), 0) + 1;
}

/** The latest revision, whatever its status; undefined for a new release. */
export function currentRevision<T extends HistoryEntry>(history: readonly T[]): T | undefined {
  return [...history].sort((a, b) => b.revision - a.revision)[0];
}

/** What happened, for `statusChanges`. */
export type HistoryEvent =
  | { type: 'deployed'; revision: number }
  | { type: 'failed'; revision: number }
  /** Revision `revision` restored `target`, undoing `undone` (the revision current before). */
  | { type: 'rolled-back'; revision: number; undone: number };

/**
 * The status changes of older revisions when a new one is recorded:
 * - a deployed revision supersedes every other deployed one;
 * - a failed revision changes nothing (the last deployed stays the rollback target);
 * - a rollback marks the revision it undid `rolled-back` (unless it already failed) and
 *   supersedes the other deployed ones.
 */
export function statusChanges(
  history: readonly HistoryEntry[],
  event: HistoryEvent,
): { revision: number; status: RevisionStatus }[] {
  if (event.type === 'failed') return [];
  const out: { revision: number; status: RevisionStatus }[] = [];
  for (const h of history) {
    if (h.revision === event.revision) continue;
    if (event.type === 'rolled-back' && h.revision === event.undone) {
      if (h.status !== RevisionStatus.failed && h.status !== RevisionStatus.rolledBack)
        out.push({ revision: h.revision, status: RevisionStatus.rolledBack });
    } else if (h.status === RevisionStatus.deployed) {
      out.push({ revision: h.revision, status: RevisionStatus.superseded });
    }
  }
  return out.sort((a, b) => a.revision - b.revision);
}

/**
 * The revisions to delete to keep at most `max` (the newest). The newest deployed revision is
 * always kept, even past `max`, so a rollback target survives a run of failures.
 */
export function revisionsToTrim(history: readonly HistoryEntry[], max: number): number[] {
  if (max < 1) throw new BerthError(ErrorCode.usage, `--history-max ${max}: must be at least 1`);
  const sorted = [...history].sort((a, b) => b.revision - a.revision);
  const keep = new Set(sorted.slice(0, max).map((h) => h.revision));
  const lastDeployed = sorted.find((h) => h.status === RevisionStatus.deployed);
  if (lastDeployed && !keep.has(lastDeployed.revision)) {
    keep.add(lastDeployed.revision);
    const oldestKept = [...keep].filter((r) => r !== lastDeployed.revision).sort((a, b) => a - b);
    if (oldestKept[0] !== undefined) keep.delete(oldestKept[0]);
  }
  return sorted
    .filter((h) => !keep.has(h.revision))
    .map((h) => h.revision)
    .sort((a, b) => a - b);
}

/**
 * The revision a rollback restores: `toRevision` when given (it must exist), else the newest
 * `deployed` or `superseded` revision older than the current one (never one that was undone).
 */
export function rollbackTarget(
  release: string,
  history: readonly HistoryEntry[],
  toRevision?: number,
): number {
  const current = currentRevision(history);
  if (!current)
    throw new BerthError(ErrorCode.usage, `release ${release} has no history to roll back to`);
  if (toRevision !== undefined) {
    const found = history.find((h) => h.revision === toRevision);
    if (!found)
      throw new BerthError(
        ErrorCode.usage,
        `release ${release} has no revision ${toRevision} (revisions: ${history
          .map((h) => h.revision)
          .sort((a, b) => a - b)
          .join(', ')})`,
      );
    return toRevision;
  }
  const earlier = history
    .filter(
      (h) =>
        h.revision < current.revision &&
        (h.status === RevisionStatus.deployed || h.status === RevisionStatus.superseded),
    )
    .sort((a, b) => b.revision - a.revision)[0];
  if (!earlier)
    throw new BerthError(
      ErrorCode.usage,
      `release ${release}: no deployed revision before revision ${current.revision} to roll back to`,
    );
  return earlier.revision;
}
