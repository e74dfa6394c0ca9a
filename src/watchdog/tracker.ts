/**
 * Incident lifecycle, as a pure state machine: a new fingerprint opens an incident (notify), one
 * still open is silent until the re-notify interval passes, one that has been absent for the
 * resolve grace closes with a follow-up. Silence when healthy is this code, not a string to parse.
 */
import { describeRef } from '../model/object.ts';
import type { Incident } from './incidents.ts';

export interface OpenIncident {
  fingerprint: string;
  title: string;
  severity: Incident['severity'];
  firstSeen: number;
  lastSeen: number;
  lastNotified: number;
  /** Messages sent about it (1 after opening). */
  notifications: number;
  /** `Deployment bots/clovis`: what it is about (the dashboard shows it). */
  subject?: string;
  /** The evidence of its first findings, at most 8 lines (never log excerpts). */
  evidence?: string[];
}

/** What the state keeps of an incident's evidence: the dashboard reads it on any replica. */
export function evidenceLines(incident: Incident): string[] {
  const lines: string[] = [];
  for (const f of incident.findings.slice(0, 3))
    for (const e of f.evidence) if (!lines.includes(e)) lines.push(e.slice(0, 300));
  return lines.slice(0, 8);
}

export interface TrackerState {
  open: Record<string, OpenIncident>;
}

export interface TrackerOptions {
  /** Re-notify an incident still open after this long. @default 4 h */
  renotifyMs: number;
  /** An incident must be gone this long to be resolved (no flapping). @default 2 min */
  resolveAfterMs: number;
}

export const defaultTrackerOptions: TrackerOptions = {
  renotifyMs: 4 * 3_600_000,
  resolveAfterMs: 120_000,
};

export type TrackerEvent =
  | { type: 'opened'; incident: Incident }
  | { type: 'renotify'; incident: Incident; open: OpenIncident }
  | { type: 'resolved'; open: OpenIncident };

/** One pass: the incidents seen now against what was open. */
export function track(
  state: TrackerState,
  incidents: readonly Incident[],
  now: number,
  options: TrackerOptions = defaultTrackerOptions,
): { state: TrackerState; events: TrackerEvent[] } {
  const open: Record<string, OpenIncident> = {};
  const events: TrackerEvent[] = [];
  const seen = new Set<string>();
  for (const incident of incidents) {
    seen.add(incident.fingerprint);
    const before = state.open[incident.fingerprint];
    if (!before) {
      open[incident.fingerprint] = {
        fingerprint: incident.fingerprint,
        title: incident.title,
        severity: incident.severity,
        firstSeen: now,
        lastSeen: now,
        lastNotified: now,
        notifications: 1,
        subject: describeRef(incident.subject),
        evidence: evidenceLines(incident),
      };
      events.push({ type: 'opened', incident });
      continue;
    }
    const current = {
      ...before,
      lastSeen: now,
      title: incident.title,
      severity: incident.severity,
      subject: describeRef(incident.subject),
      evidence: evidenceLines(incident),
    };
    if (now - before.lastNotified >= options.renotifyMs) {
      current.lastNotified = now;
      current.notifications++;
      events.push({ type: 'renotify', incident, open: current });
    }
    open[incident.fingerprint] = current;
  }
  for (const [fp, before] of Object.entries(state.open)) {
    if (seen.has(fp)) continue;
    if (now - before.lastSeen >= options.resolveAfterMs)
      events.push({ type: 'resolved', open: before });
    else open[fp] = before;
  }
  return { state: { open }, events };
}
