/**
 * What a new leader does before its watchdog engine starts (ADR 0105): finish what the previous
 * leader left between two writes, from the state in the cluster, so no message is lost and no
 * action is done twice.
 *
 * For each incident the state says is open and notified, whose message the outbox never accepted
 * (the leader died between saving the state and queueing the message, or while verifying):
 * - if the ledger holds an action taken for it since it opened, that action is not taken again:
 *   a pending entry is verified now (and finished), then the result is queued under the stable id;
 * - otherwise it is dropped from the state, so the engine's next pass opens it again and notifies
 *   (nothing about it was sent, so nothing is sent twice).
 */
import type { Notification } from '../../notify/types.ts';
import type { Actuator } from '../../watchdog/adapters/actions.ts';
import type { JsonStore } from '../../watchdog/adapters/configmap-store.ts';
import { updateEntry } from '../../watchdog/policy/ledger.ts';
import type { LedgerEntry } from '../../watchdog/policy/types.ts';
import type { OpenIncident, TrackerState } from '../../watchdog/tracker.ts';
import { stableId, wasQueued } from './stable-ids.ts';

export interface RecoverOptions {
  state: JsonStore<TrackerState>;
  ledger: JsonStore<LedgerEntry[]>;
  /** Ids the outbox has accepted. */
  queued: ReadonlySet<string>;
  actuator: Pick<Actuator, 'verify'>;
  notify: (n: Notification) => Promise<unknown>;
  verifyTimeoutMs: number;
  now: () => number;
  log: (line: string) => void;
}

export interface Recovery {
  /** Incidents dropped from the state, to be opened (and notified) again. */
  reopened: string[];
  /** Ledger entries whose result was queued now (verified now when they were pending). */
  finished: string[];
}

export async function recoverLeadership(o: RecoverOptions): Promise<Recovery> {
  const state = (await o.state.load()) ?? { open: {} };
  let ledger = (await o.ledger.load()) ?? [];
  const out: Recovery = { reopened: [], finished: [] };
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
      continue;
    }
    let done = entry;
    if (entry.status === 'pending') {
      const verdict = await o.actuator
        .verify(entry.action, o.now() + o.verifyTimeoutMs)
        .catch((error: unknown) => ({ ok: false, reason: (error as Error).message }));
      ledger = updateEntry(ledger, entry.id, {
        status: verdict.ok ? 'verified' : 'failed',
        result: `${verdict.reason} (verified by the new leader)`,
        finishedAt: o.now(),
      });
      await o.ledger.save(ledger);
      done = ledger.find((e) => e.id === entry.id) ?? entry;
    }
    await o.notify(resultMessage(incident, done, o.now()));
    out.finished.push(done.id);
  }
  if (out.reopened.length > 0) await o.state.save({ ...state, open });
  for (const fp of out.reopened) o.log(`leader: ${fp} was never notified: opening it again`);
  for (const id of out.finished)
    o.log(`leader: ${id}: result of the previous leader's action queued`);
  return out;
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
