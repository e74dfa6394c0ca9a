/**
 * The dashboard's undo, pure (ADR 0110): an undo is an action of its own, so the watchdog's
 * policy decides it like any other — scope, allowlist, dry-run, the cluster's hourly budget —
 * over the ledger and the undo requests kept in the cluster. Requests are plain records in the
 * ledger ConfigMap (`undo.json`): any replica records one, only the leader carries it out.
 */
import { BerthError, ErrorCode } from '../errors.ts';
import { describeRef, type ObjectRef } from '../model/object.ts';
import { inScope } from '../watchdog/policy/decide.ts';
import { actionsLastHour } from '../watchdog/policy/ledger.ts';
import type { Inverse, LedgerEntry, Policy } from '../watchdog/policy/types.ts';

/** Key of the undo requests in the ledger ConfigMap (owned by field manager `berth-dashboard`). */
export const undoKey = 'undo.json';
/** Requests kept (oldest dropped first; pending ones are never dropped). */
export const undoRequestLimit = 50;
const hour = 3_600_000;

export const UndoStatus = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  refused: 'refused',
  failed: 'failed',
} as const;
export type UndoStatus = (typeof UndoStatus)[keyof typeof UndoStatus];

export interface UndoRequest {
  /** `undo-<time base36>-<n>`. */
  id: string;
  /** The ledger entry to take back. */
  entry: string;
  /** Who asked (the basic-auth user, `bearer`, or `anonymous` on loopback). */
  user: string;
  /** ms since the epoch. */
  at: number;
  /** The replica that took the request. */
  via: string;
  status: UndoStatus;
  /** What was done, or why not. */
  result?: string;
  /** The leader that carried it out. */
  by?: string;
  finishedAt?: number;
}

export type UndoDecision =
  { type: 'undo'; entry: LedgerEntry; what: string } | { type: 'refuse'; because: string };

export interface UndoInput {
  entryId: string;
  entries: readonly LedgerEntry[];
  requests: readonly UndoRequest[];
  policy: Policy;
  now: number;
  /** The request being decided (left out of the "already asked" check). */
  requestId?: string;
}

/** What the inverse does, in words: "restore ... on Deployment bots/clovis". */
export function describeInverse(inverse: Inverse, target: ObjectRef): string {
  switch (inverse.type) {
    case 'restore-restarted-at':
      return `${inverse.previous === null ? 'remove' : 'restore'} the restart annotation on ${describeRef(target)}${inverse.previousRevision ? ` (back to revision ${inverse.previousRevision})` : ''}`;
    case 'scale':
      return `scale ${describeRef(target)} back to ${inverse.replicas}`;
    case 'recreate':
      return `recreate ${describeRef(target)}`;
    case 'none':
      return inverse.why;
  }
}

/** Undos carried out in the last hour: they count against the cluster budget. */
export function undosLastHour(requests: readonly UndoRequest[], now: number): number {
  return requests.filter((r) => r.status === 'done' && (r.finishedAt ?? r.at) > now - hour).length;
}

export function decideUndo(input: UndoInput): UndoDecision {
  const { policy, now } = input;
  const refuse = (because: string): UndoDecision => ({ type: 'refuse', because });
  const entry = input.entries.find((e) => e.id === input.entryId);
  if (!entry)
    return refuse(`no ledger entry ${input.entryId} (the ledger keeps the last 200 actions)`);
  switch (entry.status) {
    case 'undone':
      return refuse(`${entry.id} was already undone (${entry.result ?? ''})`);
    case 'dry-run':
      return refuse(`${entry.id} is a dry run: nothing was changed`);
    case 'pending':
      return refuse(`${entry.id} is still running or being verified; undo it once it has finished`);
    case 'verified':
    case 'failed':
      break;
  }
  const target = entry.action.target;
  if (entry.inverse.type === 'none')
    return refuse(`${entry.id} cannot be undone: ${entry.inverse.why}`);
  if (target.namespace === undefined)
    return refuse(
      `${describeRef(target)} is cluster-scoped: berth never writes cluster-scoped objects`,
    );
  if (!inScope(target.namespace, policy))
    return refuse(
      `namespace ${target.namespace} is outside the watchdog's scope (policy include/exclude)`,
    );
  if (!policy.actions.some((a) => a.action === entry.action.action))
    return refuse(
      `the policy no longer allows ${entry.action.action}, so berth may not touch what it did either; use \`berth watchdog undo ${entry.id}\` with your own credentials`,
    );
  // Deciding a request: only the requests before it count (the first of several clicks wins).
  const at = input.requests.findIndex((r) => r.id === input.requestId);
  const before = at < 0 ? input.requests : input.requests.slice(0, at);
  const other = before.find(
    (r) => r.entry === entry.id && (r.status === 'pending' || r.status === 'running'),
  );
  if (other) return refuse(`undo of ${entry.id} was already asked (${other.id}, ${other.status})`);
  const what = describeInverse(entry.inverse, target);
  if (policy.dryRun) return refuse(`the watchdog runs in dry-run: would ${what}`);
  const spent = actionsLastHour(input.entries, now) + undosLastHour(input.requests, now);
  if (spent >= policy.perClusterPerHour)
    return refuse(
      `cluster budget spent: ${spent} action(s) and undo(s) in the last hour (limit ${policy.perClusterPerHour}); a human can still run \`berth watchdog undo ${entry.id}\``,
    );
  return { type: 'undo', entry, what };
}

export function newRequestId(now: number, requests: readonly UndoRequest[]): string {
  const base = `undo-${now.toString(36)}`;
  let n = 1;
  while (requests.some((r) => r.id === `${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** Appends, dropping the oldest finished requests beyond the limit. */
export function appendRequest(
  requests: readonly UndoRequest[],
  request: UndoRequest,
): UndoRequest[] {
  const out = [...requests, request];
  while (out.length > undoRequestLimit) {
    const i = out.findIndex((r) => r.status !== 'pending' && r.status !== 'running');
    if (i < 0) break;
    out.splice(i, 1);
  }
  return out;
}

export function updateRequest(
  requests: readonly UndoRequest[],
  id: string,
  change: Partial<UndoRequest>,
): UndoRequest[] {
  return requests.map((r) => (r.id === id ? { ...r, ...change } : r));
}

/** Parses `undo.json`; entries of the wrong shape are dropped, text that is not JSON throws. */
export function parseRequests(text: string | undefined, where: string): UndoRequest[] {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BerthError(
      ErrorCode.cluster,
      `${where} key ${undoKey} is not JSON; delete the key to start empty`,
      { cause: error },
    );
  }
  if (!Array.isArray(value)) return [];
  return value.filter(
    (r): r is UndoRequest =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as UndoRequest).id === 'string' &&
      typeof (r as UndoRequest).entry === 'string' &&
      typeof (r as UndoRequest).status === 'string' &&
      typeof (r as UndoRequest).at === 'number',
  );
}
