/** The counts every output format reports. */
import type { Finding, Severity } from '../engine/types.ts';

export interface AuditSummary {
  files: number;
  objects: number;
  dockerfiles: number;
  checks: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  fixable: number;
  suppressed: number;
  /** Files that could not be parsed (one parse-error finding each). */
  unparseable: number;
  /** With --fix: findings whose fix was written (or, with --dry-run, would be). */
  fixed?: number;
}

export function summarize(
  findings: readonly Finding[],
  counts: Omit<AuditSummary, 'findings' | 'bySeverity' | 'fixable'>,
): AuditSummary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  return {
    ...counts,
    findings: findings.length,
    bySeverity,
    fixable: findings.filter((f) => f.fixable).length,
  };
}
