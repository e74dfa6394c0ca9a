/**
 * One watchdog pass, and the bookkeeping around it: detectors over the state → incidents → the
 * tracker (silence unless new, re-notify, resolved) → the policy decision → the ledger entry
 * (written BEFORE acting, with the inverse) → the action → verification under a deadline →
 * one message with the result. Actions and their verification run in the background so a slow
 * rollout never delays the next detection; the ledger entry keeps a second pass from acting twice.
 */
import type { Notification } from '../../notify/types.ts';
import { groupFindings, type Incident } from '../incidents.ts';
import { incidentMessage, reportMessage, resolvedMessage } from '../messages.ts';
import type { ClusterState, Detector, DetectorOptions, Finding } from '../model.ts';
import { decide, type Decision } from '../policy/decide.ts';
import { appendEntry, newEntryId, updateEntry } from '../policy/ledger.ts';
import type { LedgerEntry, Policy } from '../policy/types.ts';
import { track, type TrackerOptions, type TrackerState } from '../tracker.ts';
import type { Actuator } from './actions.ts';
import type { JsonStore } from './configmap-store.ts';

export interface EngineOptions {
  detectors: readonly Detector[];
  detectorOptions: DetectorOptions;
  trackerOptions: TrackerOptions;
  policy: Policy;
  actuator: Actuator;
  ledger: JsonStore<LedgerEntry[]>;
  state: JsonStore<TrackerState>;
  notify: (n: Notification) => Promise<unknown>;
  /** Current spec.replicas of a workload (for `scale`); absent: scale is never planned. */
  replicasOf?: (ref: Incident['subject']) => Promise<number | undefined>;
  now?: () => number;
  log?: (line: string) => void;
  /**
   * Optional LLM explanation of an incident (src/llm), shown as text in its message; empty or
   * failing: the deterministic message goes alone. It never changes the decision. @default none
   */
  explain?: (incident: Incident) => Promise<string>;
}

export interface PassResult {
  findings: Finding[];
  incidents: Incident[];
  decisions: { incident: Incident; decision: Decision }[];
  messages: number;
}

export class WatchdogEngine {
  private tracker: TrackerState | undefined;
  private ledgerCache: LedgerEntry[] | undefined;
  private ledgerLock: Promise<unknown> = Promise.resolve();
  private readonly inflight = new Set<Promise<void>>();
  private sequence = 0;

  constructor(private readonly o: EngineOptions) {}

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** Runs every enabled detector once (reports only when `reports` is set) and handles the results. */
  async pass(state: ClusterState, opts: { reports?: boolean } = {}): Promise<PassResult> {
    const findings = this.o.detectors
      .filter((d) => !d.always)
      .flatMap((d) => d.detect(state, this.o.detectorOptions))
      .filter((f) => this.watched(f));
    const incidents = groupFindings(findings);
    this.tracker ??= (await this.o.state.load()) ?? { open: {} };
    const { state: next, events } = track(this.tracker, incidents, this.now, this.o.trackerOptions);
    const changed =
      events.length > 0 || Object.keys(next.open).length !== Object.keys(this.tracker.open).length;
    this.tracker = next;
    if (changed) await this.o.state.save(next);
    const decisions: PassResult['decisions'] = [];
    let messages = 0;
    for (const event of events) {
      if (event.type === 'resolved') {
        await this.o.notify(resolvedMessage(event.open, this.now));
        messages++;
        continue;
      }
      const decision = await this.decideFor(event.incident);
      decisions.push({ incident: event.incident, decision });
      if (decision.type === 'wait') continue;
      messages++;
      if (decision.type === 'act') this.track(this.remediate(event.incident, decision));
      else {
        if (decision.type === 'dry-run') await this.record(event.incident, decision, 'dry-run');
        await this.o.notify(
          await this.explained(
            event.incident,
            incidentMessage(event.incident, decision, {
              at: this.now,
              sequence: this.nextSequence(),
            }),
          ),
        );
      }
    }
    if (opts.reports)
      for (const d of this.o.detectors.filter((x) => x.always))
        for (const report of d.detect(state, this.o.detectorOptions)) {
          await this.o.notify(reportMessage(report, this.now));
          messages++;
        }
    return { findings, incidents, decisions, messages };
  }

  /** Waits for background remediations (and their messages) to finish. */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  async ledger(): Promise<LedgerEntry[]> {
    this.ledgerCache ??= (await this.o.ledger.load()) ?? [];
    return this.ledgerCache;
  }

  /**
   * Changes one ledger entry through the same serialized read-modify-write as the engine's own
   * records (the dashboard's undo in `berth serve`): a write from outside would be overwritten by
   * the engine's cached ledger on its next record.
   */
  async updateLedgerEntry(id: string, change: Partial<LedgerEntry>): Promise<void> {
    await this.withLedger((entries) => [updateEntry(entries, id, change), undefined]);
  }

  private watched(f: Finding): boolean {
    const ns = f.object.namespace;
    return (
      ns === undefined || this.o.policy.include.length === 0 || this.o.policy.include.includes(ns)
    );
  }

  private nextSequence(): number {
    return ++this.sequence + Math.floor(this.now / 1000) * 1000;
  }

  private async decideFor(incident: Incident): Promise<Decision> {
    const input = { incident, policy: this.o.policy, ledger: await this.ledger(), now: this.now };
    const needsReplicas = this.o.policy.actions.some(
      (a) => a.action === 'scale' && a.detectors.includes(incident.detector),
    );
    const replicas =
      needsReplicas && this.o.replicasOf ? await this.o.replicasOf(incident.subject) : undefined;
    return decide(replicas === undefined ? input : { ...input, currentReplicas: replicas });
  }

  private track(p: Promise<void>): void {
    const wrapped = p.catch((error: unknown) =>
      this.o.log?.(`remediation failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.inflight.add(wrapped);
    void wrapped.finally(() => this.inflight.delete(wrapped));
  }

  /** Ledger first (with the inverse), then the action, then verification, then one message. */
  private async remediate(
    incident: Incident,
    decision: Extract<Decision, { type: 'act' }>,
  ): Promise<void> {
    let entry = await this.record(incident, decision, 'pending');
    try {
      await this.o.actuator.execute(decision.action);
      const verdict = await this.o.actuator.verify(
        decision.action,
        this.now + this.o.policy.verifyTimeoutMs,
      );
      entry = await this.finish(entry.id, verdict.ok ? 'verified' : 'failed', verdict.reason);
    } catch (error) {
      entry = await this.finish(
        entry.id,
        'failed',
        error instanceof Error ? error.message : String(error),
      );
    }
    this.o.log?.(
      `${entry.id}: ${decision.action.command}: ${entry.status} (${entry.result ?? ''})`,
    );
    await this.o.notify(
      await this.explained(
        incident,
        incidentMessage(incident, decision, { at: this.now, sequence: this.nextSequence(), entry }),
      ),
    );
  }

  /** The message with the LLM's explanation as one more field (text only, never acted upon). */
  private async explained(incident: Incident, n: Notification): Promise<Notification> {
    if (!this.o.explain) return n;
    const text = await this.o.explain(incident).catch((error: unknown) => {
      this.o.log?.(`explanation failed: ${error instanceof Error ? error.message : String(error)}`);
      return '';
    });
    if (!text) return n;
    const field = {
      label: 'Explanation (LLM, advisory: berth acts only by its policy)',
      value: text,
    };
    return { ...n, fields: [...(n.fields ?? []), field] };
  }

  private async record(
    incident: Incident,
    decision: Extract<Decision, { type: 'act' | 'dry-run' }>,
    status: 'pending' | 'dry-run',
  ): Promise<LedgerEntry> {
    const inverse =
      status === 'dry-run'
        ? ({ type: 'none', why: 'dry-run: nothing was changed' } as const)
        : await this.o.actuator.inverseFor(decision.action);
    return this.withLedger((entries) => {
      const entry: LedgerEntry = {
        id: newEntryId(this.now, entries),
        at: this.now,
        fingerprint: incident.fingerprint,
        incident: incident.title,
        action: decision.action,
        inverse,
        status,
      };
      return [appendEntry(entries, entry), entry] as [LedgerEntry[], LedgerEntry];
    });
  }

  private finish(id: string, status: 'verified' | 'failed', result: string): Promise<LedgerEntry> {
    return this.withLedger((entries) => {
      const next = updateEntry(entries, id, { status, result, finishedAt: this.now });
      return [next, next.find((e) => e.id === id)!] as [LedgerEntry[], LedgerEntry];
    });
  }

  /** Serialized read-modify-write of the ledger; saved before the caller goes on. */
  private withLedger<T>(change: (entries: LedgerEntry[]) => [LedgerEntry[], T]): Promise<T> {
    const run = this.ledgerLock.then(async () => {
      const [next, result] = change(await this.ledger());
      await this.o.ledger.save(next);
      this.ledgerCache = next;
      return result;
    });
    this.ledgerLock = run.catch(() => undefined);
    return run;
  }
}
