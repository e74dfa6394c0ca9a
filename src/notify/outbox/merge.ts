/**
 * Merging two writers' outboxes (pure). A store shared by several notifiers (the ConfigMap store)
 * cannot just overwrite: each writer replays what it changed since its own last view (`base` →
 * `mine`) onto the state another writer may have stored since (`theirs`). Entries are matched by
 * `target|notification.id`, never by `seq` (each writer numbers its own).
 *
 * - queued by me (in `mine`, not in `base`): appended to `theirs` unless another writer already
 *   accepted that key (pending, dead or recently delivered): the idempotency rule across writers;
 * - settled by me (in `base`, gone from `mine`): removed from `theirs`; my new dead entries kept;
 * - retried by me (in both): the later attempt's bookkeeping wins;
 * - `delivered` adds my delta; `recent` is the union (bounded by the caller's policy).
 */
import {
  defaultRetryPolicy,
  type OutboxEntry,
  type OutboxState,
  type RetryPolicy,
} from './state.ts';

export function entryKey(e: OutboxEntry): string {
  return `${e.target}|${e.notification.id}`;
}

export function mergeOutbox(
  base: OutboxState,
  mine: OutboxState,
  theirs: OutboxState,
  policy: RetryPolicy = defaultRetryPolicy,
): OutboxState {
  const baseKeys = new Set(base.pending.map(entryKey));
  const mineByKey = new Map(mine.pending.map((e) => [entryKey(e), e]));
  const settledByMe = new Set([...baseKeys].filter((k) => !mineByKey.has(k)));

  let nextSeq = Math.max(theirs.nextSeq, 1);
  const pending: OutboxEntry[] = [];
  for (const e of theirs.pending) {
    const key = entryKey(e);
    if (settledByMe.has(key)) continue;
    const my = baseKeys.has(key) ? mineByKey.get(key) : undefined;
    pending.push(my && my.attempts > e.attempts ? { ...my, seq: e.seq } : e);
  }
  const present = new Set(pending.map(entryKey));
  const theirsKnew = new Set([...theirs.pending, ...theirs.dead].map(entryKey));
  for (const r of theirs.recent) theirsKnew.add(r);
  for (const e of mine.pending) {
    const key = entryKey(e);
    if (baseKeys.has(key) || present.has(key) || theirsKnew.has(key)) continue;
    pending.push({ ...e, seq: nextSeq++ });
    present.add(key);
  }

  const baseDead = new Set(base.dead.map(entryKey));
  const theirDead = new Set(theirs.dead.map(entryKey));
  const newDead = mine.dead.filter(
    (d) => !baseDead.has(entryKey(d)) && !theirDead.has(entryKey(d)),
  );
  const recent = [...theirs.recent];
  const known = new Set(recent);
  for (const r of mine.recent) if (!known.has(r)) recent.push(r);

  return {
    version: 1,
    nextSeq,
    pending,
    dead: [...theirs.dead, ...newDead].slice(-policy.maxDead),
    recent: recent.slice(-policy.maxRecent),
    delivered: theirs.delivered + Math.max(0, mine.delivered - base.delivered),
  };
}
