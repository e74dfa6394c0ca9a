/**
 * Notifications from incidents, decisions and outcomes: pure. One message per incident event;
 * the object, reason, evidence, what was done and its verified result, or the proposed command.
 */
import type { Notification } from '../notify/types.ts';
import { describeRef } from '../model/object.ts';
import type { Incident } from './incidents.ts';
import type { Finding } from './model.ts';
import type { Decision } from './policy/decide.ts';
import type { LedgerEntry } from './policy/types.ts';
import type { OpenIncident } from './tracker.ts';

const source = 'berth watchdog';
const maxObjects = 10;

export interface Outcome {
  entry: LedgerEntry;
}

function objectsLine(incident: Incident): string {
  const names = incident.findings.map((f) => describeRef(f.object));
  const shown = names.slice(0, maxObjects).join(', ');
  return names.length > maxObjects ? `${shown} and ${names.length - maxObjects} more` : shown;
}

function evidenceOf(incident: Incident): string {
  const lines: string[] = [];
  for (const f of incident.findings.slice(0, 3))
    for (const e of f.evidence) if (!lines.includes(e)) lines.push(e);
  return lines.slice(0, 8).join('\n');
}

function excerptOf(incident: Incident): string | undefined {
  const f: Finding | undefined = incident.findings.find((x) => x.excerpt);
  return f?.excerpt;
}

/** The message for a new (or re-notified) incident, after the decision and any action's result. */
export function incidentMessage(
  incident: Incident,
  decision: Decision,
  opts: { at: number; sequence: number; entry?: LedgerEntry },
): Notification {
  const lead = incident.findings[0];
  const fields = [
    { label: 'Object', value: describeRef(incident.subject) },
    { label: 'Reason', value: incident.reason },
  ];
  if (incident.findings.length > 1 || lead?.object.name !== incident.subject.name)
    fields.push({ label: `Affected (${incident.findings.length})`, value: objectsLine(incident) });
  const evidence = evidenceOf(incident);
  if (evidence) fields.push({ label: 'Evidence', value: evidence });
  let status: Notification['status'] = 'firing';
  let text = lead?.message ?? incident.title;
  let command: string | undefined;
  switch (decision.type) {
    case 'act': {
      const e = opts.entry;
      const result =
        e?.status === 'verified'
          ? `verified: ${e.result ?? 'ready'}`
          : `NOT verified: ${e?.result ?? 'unknown'}`;
      fields.push({
        label: 'Action',
        value: `${decision.action.command} (ledger ${e?.id ?? '?'}; undo: berth watchdog undo ${e?.id ?? '?'})`,
      });
      fields.push({ label: 'Result', value: result });
      text += `\nWhy act: ${decision.because}.`;
      if (e?.status !== 'verified') {
        status = 'escalation';
        text += '\nThe remediation did not make it healthy: a human must look.';
      }
      break;
    }
    case 'dry-run':
      fields.push({ label: 'Action (dry-run)', value: `would run: ${decision.action.command}` });
      text += `\nDry-run: nothing was changed. ${decision.because}.`;
      command = decision.action.command;
      break;
    case 'notify':
      text += `\nNo action: ${decision.because}.`;
      command = decision.proposal;
      break;
    case 'escalate':
      status = 'escalation';
      text += `\nEscalation: ${decision.because}.`;
      command = decision.proposal;
      break;
    case 'wait':
      text += `\n${decision.because}.`;
      break;
  }
  const n: Notification = {
    id: `${incident.fingerprint}:${status}:${opts.sequence}`,
    thread: incident.fingerprint,
    status,
    severity: incident.severity,
    title: incident.title,
    text,
    fields,
    source: `${source} · ${incident.detector}`,
    at: new Date(opts.at).toISOString(),
  };
  const excerpt = excerptOf(incident);
  if (excerpt) n.excerpt = excerpt;
  if (command) n.command = command;
  return n;
}

export function resolvedMessage(open: OpenIncident, at: number): Notification {
  return {
    id: `${open.fingerprint}:resolved:${open.notifications}`,
    thread: open.fingerprint,
    status: 'resolved',
    severity: open.severity,
    title: open.title,
    text: `Resolved after ${Math.max(1, Math.round((at - open.firstSeen) / 60_000))} min.`,
    source,
    at: new Date(at).toISOString(),
  };
}

/** The daily report: always delivered. */
export function reportMessage(report: Finding, at: number): Notification {
  return {
    id: `report:${report.object.name}:${at}`,
    status: 'info',
    severity: 'info',
    title: report.message.split(':')[0] ?? 'cluster report',
    text: report.message,
    fields: report.evidence.map((line) => {
      const i = line.indexOf(':');
      return i > 0
        ? { label: line.slice(0, i), value: line.slice(i + 1).trim() }
        : { label: 'note', value: line };
    }),
    source: `${source} · ${report.detector}`,
    at: new Date(at).toISOString(),
  };
}
