/**
 * The outbox as plain data and pure transitions: one ordered queue per target, the head of each
 * queue retried with capped exponential back-off (or exactly the server's Retry-After) until it
 * is delivered. A queue never skips its head, so messages arrive in the order they were queued.
 * Answers that retrying cannot fix (400, 401, 403, 404...) move the entry to `dead` (kept,
 * bounded, reported) so one bad message cannot block its queue forever.
 */
import type { Attempt } from '../transport.ts';
import type { Notification } from '../types.ts';

export interface OutboxEntry {
  /** Order of arrival across the outbox. */
  seq: number;
  /** The target's id (`targetId`): URLs and tokens are never stored. */
  target: string;
  notification: Notification;
  enqueuedAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

export interface DeadEntry extends OutboxEntry {
  rejectedAt: number;
  status: number;
}

export interface OutboxState {
  version: 1;
  nextSeq: number;
  pending: OutboxEntry[];
  dead: DeadEntry[];
  /** `target|id` of recently accepted notifications: a repeated id is ignored. */
  recent: string[];
  /** Delivered so far (a counter, for metrics and reports). */
  delivered: number;
}

export interface RetryPolicy {
  /** First retry delay. @default 1000 */
  baseMs: number;
  /** Largest back-off between two attempts (a server's Retry-After may exceed it). @default 60000 */
  capMs: number;
  /** Dead entries kept. @default 100 */
  maxDead: number;
  /** Ids remembered for idempotency. @default 1000 */
  maxRecent: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  baseMs: 1000,
  capMs: 60_000,
  maxDead: 100,
  maxRecent: 1000,
};

export function emptyOutbox(): OutboxState {
  return { version: 1, nextSeq: 1, pending: [], dead: [], recent: [], delivered: 0 };
}

/** Adds one entry per target; ids already accepted for a target are skipped. */
export function enqueue(
  state: OutboxState,
  n: Notification,
  targets: readonly string[],
  now: number,
  policy: RetryPolicy = defaultRetryPolicy,
): { state: OutboxState; added: number } {
  let nextSeq = state.nextSeq;
  const pending = [...state.pending];
  const recent = [...state.recent];
  let added = 0;
  for (const target of targets) {
    const key = `${target}|${n.id}`;
    if (recent.includes(key)) continue;
    recent.push(key);
    pending.push({
      seq: nextSeq++,
      target,
      notification: n,
      enqueuedAt: now,
      attempts: 0,
      nextAttemptAt: now,
    });
    added++;
  }
  return {
    state: { ...state, nextSeq, pending, recent: recent.slice(-policy.maxRecent) },
    added,
  };
}

/** The first entry of each target's queue. */
export function heads(state: OutboxState): OutboxEntry[] {
  const seen = new Set<string>();
  const out: OutboxEntry[] = [];
  for (const e of state.pending) {
    if (seen.has(e.target)) continue;
    seen.add(e.target);
    out.push(e);
  }
  return out;
}

/** Heads whose time has come. */
export function dueHeads(state: OutboxState, now: number): OutboxEntry[] {
  return heads(state).filter((e) => e.nextAttemptAt <= now);
}

/** When the next head becomes due (undefined when nothing is pending). */
export function nextDueAt(state: OutboxState): number | undefined {
  let min: number | undefined;
  for (const e of heads(state))
    min = min === undefined ? e.nextAttemptAt : Math.min(min, e.nextAttemptAt);
  return min;
}

/** Back-off before attempt `attempts + 1`: base · 2^(attempts-1), capped. */
export function backoffMs(attempts: number, policy: RetryPolicy = defaultRetryPolicy): number {
  const exp = Math.min(30, Math.max(0, attempts - 1));
  return Math.min(policy.capMs, policy.baseMs * 2 ** exp);
}

/** Records the outcome of one attempt on entry `seq`. */
export function settle(
  state: OutboxState,
  seq: number,
  attempt: Attempt,
  now: number,
  policy: RetryPolicy = defaultRetryPolicy,
): OutboxState {
  const entry = state.pending.find((e) => e.seq === seq);
  if (!entry) return state;
  const others = state.pending.filter((e) => e.seq !== seq);
  const attempts = entry.attempts + 1;
  switch (attempt.outcome) {
    case 'delivered':
      return { ...state, pending: others, delivered: state.delivered + 1 };
    case 'rejected': {
      const dead: DeadEntry = {
        ...entry,
        attempts,
        lastError: attempt.error,
        rejectedAt: now,
        status: attempt.status,
      };
      return { ...state, pending: others, dead: [...state.dead, dead].slice(-policy.maxDead) };
    }
    case 'retry': {
      const wait = attempt.retryAfterMs ?? backoffMs(attempts, policy);
      const updated: OutboxEntry = {
        ...entry,
        attempts,
        nextAttemptAt: now + wait,
        lastError: attempt.error,
      };
      return { ...state, pending: state.pending.map((e) => (e.seq === seq ? updated : e)) };
    }
  }
}
