/**
 * From findings to incidents: one incident per fingerprint (the 50 crash-looping pods of one
 * Deployment share one), and everything on a NotReady node folded into that node's incident
 * (a node down is one message, not one per pod). Pure and deterministic.
 */
import type { ObjectRef } from '../model/object.ts';
import { describeRef } from '../model/object.ts';
import { severityRank, type Finding, type Severity } from './model.ts';

export interface Incident {
  fingerprint: string;
  detector: string;
  severity: Severity;
  reason: string;
  /** What the incident is about: the owning workload, the node, or the object. */
  subject: ObjectRef;
  title: string;
  /** The findings it groups, sorted by object name. */
  findings: Finding[];
}

const nodeDown = 'NodeNotReady';

export function groupFindings(findings: readonly Finding[]): Incident[] {
  const downNodes = new Map<string, Finding>();
  for (const f of findings)
    if (f.reason === nodeDown && f.object.kind === 'Node') downNodes.set(f.object.name, f);
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const underNode =
      f.node !== undefined && f.reason !== nodeDown ? downNodes.get(f.node) : undefined;
    const key = underNode ? underNode.fingerprint : f.fingerprint;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const incidents: Incident[] = [];
  for (const [fingerprint, group] of groups) {
    group.sort(
      (a, b) =>
        Number(b.reason === nodeDown) - Number(a.reason === nodeDown) ||
        compareRefs(a.object, b.object),
    );
    const lead = group[0]!;
    const subject = lead.owner ?? lead.object;
    const severity = group.reduce<Severity>(
      (s, f) => (severityRank[f.severity] > severityRank[s] ? f.severity : s),
      lead.severity,
    );
    const others = group.length - 1;
    const title =
      lead.reason === nodeDown
        ? `${lead.reason}: ${describeRef(subject)}${others ? ` (${others} affected object(s))` : ''}`
        : `${lead.reason}: ${describeRef(subject)}${group.length > 1 ? ` (${group.length} objects)` : ''}`;
    incidents.push({
      fingerprint,
      detector: lead.detector,
      severity,
      reason: lead.reason,
      subject,
      title,
      findings: group,
    });
  }
  return incidents.sort(
    (a, b) =>
      severityRank[b.severity] - severityRank[a.severity] ||
      compareRefs(a.subject, b.subject) ||
      a.reason.localeCompare(b.reason),
  );
}

function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return (
    a.kind.localeCompare(b.kind) ||
    (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
    a.name.localeCompare(b.name)
  );
}
