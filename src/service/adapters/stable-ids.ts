/**
 * Notification ids that two leaders compute alike (ADR 0105). The watchdog engine numbers its
 * messages per process; under `berth serve` a message about an incident gets the id
 * `<fingerprint>:<status>:<firstSeen>:<notifications>` from the incident state in the cluster,
 * so a new leader that re-sends what its predecessor may have queued is ignored by the outbox
 * (it accepts an id once per target). `StateTap` wraps the state store to know that record.
 */
import type { Notification } from '../../notify/types.ts';
import type { JsonStore } from '../../watchdog/adapters/configmap-store.ts';
import type { OpenIncident, TrackerState } from '../../watchdog/tracker.ts';

/** The id of a message about `open` with `status`. */
export function stableId(open: OpenIncident, status: Notification['status']): string {
  return `${open.fingerprint}:${status}:${open.firstSeen}:${open.notifications}`;
}

/** True when some id in `ids` is a message about this opening of `open` (any status). */
export function wasQueued(open: OpenIncident, ids: Iterable<string>): boolean {
  const head = `${open.fingerprint}:`;
  const tail = `:${open.firstSeen}:${open.notifications}`;
  for (const id of ids) if (id.startsWith(head) && id.endsWith(tail)) return true;
  return false;
}

/** Ids the outbox has accepted (its `recent` keys are `target|id`). */
export function queuedIds(recent: readonly string[]): Set<string> {
  return new Set(recent.map((key) => key.slice(key.indexOf('|') + 1)));
}

export class StateTap implements JsonStore<TrackerState> {
  private current: TrackerState = { open: {} };
  private previous: TrackerState = { open: {} };

  constructor(private readonly inner: JsonStore<TrackerState>) {}

  get description(): string {
    return this.inner.description;
  }

  async load(): Promise<TrackerState | undefined> {
    const state = await this.inner.load();
    this.current = state ?? { open: {} };
    this.previous = this.current;
    return state;
  }

  async save(value: TrackerState): Promise<void> {
    await this.inner.save(value);
    this.previous = this.current;
    this.current = value;
  }

  /** `n` with its stable id, when it is about an incident this tap knows; else as it is. */
  withStableId(n: Notification): Notification {
    if (!n.thread) return n;
    const open = this.current.open[n.thread] ?? this.previous.open[n.thread];
    return open ? { ...n, id: stableId(open, n.status) } : n;
  }
}
