/**
 * `--format json`: `{version, findings[], summary}`, each finding
 * `{check, severity, object?: {apiVersion, kind, namespace?, name}, file, line, path?, message,
 * remediation, fixable}`. Documented in docs/audit.md; stable within a major version.
 */
import type { Finding } from '../engine/types.ts';
import type { AuditSummary } from './summary.ts';

export function formatJson(findings: readonly Finding[], summary: AuditSummary): string {
  const out = findings.map((f) => {
    const item: Record<string, unknown> = { check: f.check, severity: f.severity };
    if (f.object) item.object = f.object;
    item.file = f.file;
    item.line = f.line;
    if (f.path !== undefined) item.path = f.path;
    item.message = f.message;
    item.remediation = f.remediation;
    item.fixable = f.fixable;
    return item;
  });
  return `${JSON.stringify({ version: 1, findings: out, summary }, null, 2)}\n`;
}
