/**
 * Suppressions. On an object or its pod template:
 *   berth.dev/ignore: "image-tag: pinned by the chart's digest; host-port: node exporter (until 2026-12-31)"
 * Entries are separated by `;` or new lines; each names a check id and a reason (required); an
 * optional `until YYYY-MM-DD` ends it. In a Dockerfile: `# berth:ignore <check-id> <reason>`
 * above an instruction, or `# berth:ignore-file <check-id> <reason>` anywhere.
 */
export const ignoreAnnotation = 'berth.dev/ignore';

export interface Suppression {
  check: string;
  reason: string;
  /** `YYYY-MM-DD`, inclusive. */
  until?: string;
}

export interface SuppressionProblem {
  message: string;
}

const untilPattern = /\s*\(?\s*until\s+(\d{4}-\d{2}-\d{2})\s*\)?\s*$/i;

export function parseSuppressions(
  value: string,
  knownChecks: ReadonlySet<string>,
): { suppressions: Suppression[]; problems: SuppressionProblem[] } {
  const suppressions: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  for (const raw of value.split(/[;\n]/)) {
    const entry = raw.trim();
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const check = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    let reason = colon < 0 ? '' : entry.slice(colon + 1).trim();
    let until: string | undefined;
    const untilMatch = untilPattern.exec(reason);
    if (untilMatch) {
      until = untilMatch[1];
      reason = reason.slice(0, untilMatch.index).trim();
    }
    if (!knownChecks.has(check)) {
      problems.push({ message: `${ignoreAnnotation} names unknown check "${check}"` });
      continue;
    }
    if (reason === '') {
      problems.push({
        message: `${ignoreAnnotation} for "${check}" has no reason; write "${check}: <why>"`,
      });
      continue;
    }
    const suppression: Suppression = { check, reason };
    if (until !== undefined) suppression.until = until;
    suppressions.push(suppression);
  }
  return { suppressions, problems };
}

/** Whether a suppression still holds on `today` (`YYYY-MM-DD`). */
export function isActive(suppression: Suppression, today: string): boolean {
  return suppression.until === undefined || today <= suppression.until;
}
