/**
 * What a new leader does before its watchdog engine starts (ADR 0105): finish what the previous
 * leader left between two writes, from the state in the cluster, so no message is lost and no
 * action is done twice.
 *
 * For each incident the state says is open and notified, whose message the outbox never accepted
 * (the leader died between saving the state and queueing the message, or while verifying):
 * - if the ledger holds an action taken for it since it opened, that action is not taken again:
 *   a finished entry's result is queued under the stable id; a pending one is verified in the
 *   background (`finishPending`, through `LedgerOverlay`), then its result is queued;
 * - otherwise it is dropped from the state, so the engine's next pass opens it again and notifies
 *   (nothing about it was sent, so nothing is sent twice).
 */
import type { Notification } from '../../notify/types.ts';
import type { Actuator } from '../../watchdog/adapters/actions.ts';
import type { JsonStore } from '../../watchdog/adapters/configmap-store.ts';
import type { LedgerEntry } from '../../watchdog/policy/types.ts';
import type { OpenIncident, TrackerState } from '../../watchdog/tracker.ts';
import { stableId, wasQueued } from './stable-ids.ts';

export interface RecoverOptions {
  state: JsonStore<TrackerState>;
  ledger: JsonStore<LedgerEntry[]>;
  /** Ids the outbox has accepted. */
  queued: ReadonlySet<string>;
  notify: (n: Notification) => Promise<unknown>;
  now: () => number;
  log: (line: string) => void;
}

export interface Recovery {
  /** Incidents dropped from the state, to be opened (and notified) again. */
  reopened: string[];
  /** Finished ledger entries whose result was queued now. */
  finished: string[];
  /** Pending entries (the previous leader died verifying): verify with `finishPending`. */
  pending: { open: OpenIncident; entry: LedgerEntry }[];
}

/** The part that must happen before the engine starts: quick (reads, one state write, messages). */
export async function recoverLeadership(o: RecoverOptions): Promise<Recovery> {
  const state = (await o.state.load()) ?? { open: {} };
  const ledger = (await o.ledger.load()) ?? [];
  const out: Recovery = { reopened: [], finished: [], pending: [] };
  const open = { ...state.open };
  for (const incident of Object.values(state.open)) {
    if (wasQueued(incident, o.queued)) continue;
    const entry = ledger
      .filter((e) => e.fingerprint === incident.fingerprint && e.at >= incident.firstSeen - 1_000)
      .filter((e) => e.status !== 'dry-run')
      .at(-1);
    if (!entry) {
      delete open[incident.fingerprint];
      out.reopened.push(incident.fingerprint);
    } else if (entry.status === 'pending') out.pending.push({ open: incident, entry });
    else {
      await o.notify(resultMessage(incident, entry, o.now()));
      out.finished.push(entry.id);
    }
  }
  if (out.reopened.length > 0) await o.state.save({ ...state, open });
  for (const fp of out.reopened) o.log(`leader: ${fp} was never notified: opening it again`);
  for (const id of out.finished)
    o.log(`leader: ${id}: result of the previous leader's action queued`);
  for (const p of out.pending)
    o.log(`leader: ${p.entry.id}: the previous leader did not verify it; verifying now`);
  return out;
}

/**
 * Verifies an action the previous leader took and did not verify (it is not taken again),
 * records the verdict through the overlay and queues the result under the stable id.
 */
export async function finishPending(
  p: { open: OpenIncident; entry: LedgerEntry },
  o: {
    actuator: Pick<Actuator, 'verify'>;
    ledger: LedgerOverlay;
    notify: (n: Notification) => Promise<unknown>;
    verifyTimeoutMs: number;
    now: () => number;
  },
): Promise<LedgerEntry> {
  const verdict = await o.actuator
    .verify(p.entry.action, o.now() + o.verifyTimeoutMs)
    .catch((error: unknown) => ({ ok: false, reason: (error as Error).message }));
  const done: LedgerEntry = {
    ...p.entry,
    status: verdict.ok ? 'verified' : 'failed',
    result: `${verdict.reason} (verified by the new leader)`,
    finishedAt: o.now(),
  };
  await o.ledger.patch(done);
  await o.notify(resultMessage(p.open, done, o.now()));
  return done;
}

/**
 * The ledger store under the engine, with changes made beside it laid over: the verdicts of
 * recovered entries and the dashboard's undos. The engine keeps its own copy of the ledger, so a
 * change written beside it would be overwritten by its next save; through the overlay every save
 * carries it. The engine only changes the entries it created until they finish; the overlay only
 * changes a previous leader's pending entries and finished ones. Saves are serialized.
 */
export class LedgerOverlay implements JsonStore<LedgerEntry[]> {
  private readonly changes = new Map<string, Partial<LedgerEntry>>();
  private latest: LedgerEntry[] = [];
  private loaded = false;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly inner: JsonStore<LedgerEntry[]>) {}

  get description(): string {
    return this.inner.description;
  }

  async load(): Promise<LedgerEntry[] | undefined> {
    const v = await this.inner.load();
    this.latest = v ?? [];
    this.loaded = true;
    return v && this.over(v);
  }

  save(value: LedgerEntry[]): Promise<void> {
    return this.serially(async () => {
      const v = this.over(value);
      await this.inner.save(v);
      this.latest = v;
      this.loaded = true;
    });
  }

  /** Lays `entry` over the entry of the same id, now and in every later save. */
  patch(entry: LedgerEntry): Promise<void> {
    return this.update(entry.id, entry);
  }

  /** Changes one entry, now and in every later save (the dashboard's `UndoLedger.update`). */
  update(id: string, change: Partial<LedgerEntry>): Promise<void> {
    this.changes.set(id, { ...this.changes.get(id), ...change });
    return this.serially(async () => {
      if (!this.loaded) this.latest = (await this.inner.load()) ?? [];
      this.loaded = true;
      const v = this.over(this.latest);
      await this.inner.save(v);
      this.latest = v;
    });
  }

  private over(v: LedgerEntry[]): LedgerEntry[] {
    return v.map((e) => {
      const c = this.changes.get(e.id);
      return c ? { ...e, ...c } : e;
    });
  }

  private serially(fn: () => Promise<void>): Promise<void> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

/** The message for an action the previous leader took (from the ledger entry). */
export function resultMessage(open: OpenIncident, e: LedgerEntry, at: number): Notification {
  const verified = e.status === 'verified';
  const status: Notification['status'] = verified ? 'firing' : 'escalation';
  return {
    id: stableId(open, status),
    thread: open.fingerprint,
    status,
    severity: open.severity,
    title: open.title,
    text:
      `${e.incident}\nThe previous leader acted; this replica took over and reports the result.` +
      (verified ? '' : '\nThe remediation did not make it healthy: a human must look.'),
    fields: [
      {
        label: 'Action',
        value: `${e.action.command} (ledger ${e.id}; undo: berth watchdog undo ${e.id})`,
      },
      {
        label: 'Result',
        value: verified ? `verified: ${e.result ?? 'ready'}` : `NOT verified: ${e.result ?? '?'}`,
      },
    ],
    source: 'berth serve · watchdog',
    at: new Date(at).toISOString(),
  };
}
