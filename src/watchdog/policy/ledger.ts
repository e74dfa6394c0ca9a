/**
 * The ledger as pure functions: bounded append, updates, the rolling-hour budgets, cooldowns and
 * the circuit breaker are all read from it, so they survive restarts with it.
 */
import type { ObjectRef } from '../../model/object.ts';
import type { LedgerEntry, Policy } from './types.ts';

/** Entries kept in the ConfigMap (oldest dropped first). */
export const ledgerLimit = 200;
const hour = 3_600_000;

export function appendEntry(entries: readonly LedgerEntry[], entry: LedgerEntry): LedgerEntry[] {
  return [...entries, entry].slice(-ledgerLimit);
}

export function updateEntry(
  entries: readonly LedgerEntry[],
  id: string,
  change: Partial<LedgerEntry>,
): LedgerEntry[] {
  return entries.map((e) => (e.id === id ? { ...e, ...change } : e));
}

export function sameTarget(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/** Actions that count: real ones (not dry runs), in the last hour. */
function recent(entries: readonly LedgerEntry[], now: number): LedgerEntry[] {
  return entries.filter((e) => e.status !== 'dry-run' && e.at > now - hour);
}

export function actionsOnTargetLastHour(
  entries: readonly LedgerEntry[],
  target: ObjectRef,
  now: number,
): number {
  return recent(entries, now).filter((e) => sameTarget(e.action.target, target)).length;
}

export function actionsLastHour(entries: readonly LedgerEntry[], now: number): number {
  return recent(entries, now).length;
}

export function lastActionOn(
  entries: readonly LedgerEntry[],
  target: ObjectRef,
): LedgerEntry | undefined {
  return entries
    .filter((e) => e.status !== 'dry-run' && sameTarget(e.action.target, target))
    .at(-1);
}

/**
 * Open when the last `failures` finished remediations all failed and the last failure is
 * younger than the reset time.
 */
export function isBreakerOpen(
  entries: readonly LedgerEntry[],
  policy: Policy,
  now: number,
): boolean {
  const finished = entries.filter((e) => e.status === 'verified' || e.status === 'failed');
  const tail = finished.slice(-policy.breakerFailures);
  if (tail.length < policy.breakerFailures || tail.some((e) => e.status !== 'failed')) return false;
  const last = tail.at(-1)!;
  return now - (last.finishedAt ?? last.at) < policy.breakerResetMs;
}

export function newEntryId(now: number, entries: readonly LedgerEntry[]): string {
  const base = `wd-${now.toString(36)}`;
  let n = 1;
  while (entries.some((e) => e.id === `${base}-${n}`)) n++;
  return `${base}-${n}`;
}
