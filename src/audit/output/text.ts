/** `--format text`: one line per finding, `file:line: severity check: message`, colour only on a TTY. */
import type { Finding, Severity } from '../engine/types.ts';
import type { AuditSummary } from './summary.ts';

const colours: Readonly<Record<Severity, string>> = {
  error: '\u001b[31m',
  warning: '\u001b[33m',
  info: '\u001b[36m',
};
const reset = '\u001b[0m';
const dim = '\u001b[2m';

export function formatText(
  findings: readonly Finding[],
  summary: AuditSummary,
  options: { colour: boolean; verbose?: boolean },
): string {
  const paint = (code: string, s: string): string => (options.colour ? `${code}${s}${reset}` : s);
  const lines: string[] = [];
  for (const f of findings) {
    const fix = f.fixable ? paint(dim, ' [fixable]') : '';
    lines.push(
      `${f.file}:${f.line}: ${paint(colours[f.severity], f.severity)} ${f.check}: ${f.message}${fix}`,
    );
    if (options.verbose) lines.push(`    ${paint(dim, `→ ${f.remediation}`)}`);
  }
  const { error, warning, info } = summary.bySeverity;
  const parts = [
    `${summary.findings} finding${summary.findings === 1 ? '' : 's'} (${error} error, ${warning} warning, ${info} info)`,
    `${summary.objects} objects and ${summary.dockerfiles} Dockerfiles in ${summary.files} files, ${summary.checks} checks`,
  ];
  if (summary.fixable > 0) parts.push(`${summary.fixable} fixable with --fix`);
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`);
  if (summary.unparseable > 0)
    parts.push(
      `${summary.unparseable} file${summary.unparseable === 1 ? '' : 's'} could not be parsed`,
    );
  if (summary.fixed !== undefined) parts.push(`${summary.fixed} fixed`);
  lines.push(parts.join('; '));
  return `${lines.join('\n')}\n`;
}
