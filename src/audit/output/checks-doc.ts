/** docs/checks.md, generated from the registry (`npm run docs:checks`); a test fails when it is stale. */
import type { Check } from '../engine/types.ts';

const categoryTitles: Readonly<Record<string, string>> = {
  hygiene: 'Input and hygiene',
  security: 'Pod and container security',
  'pod-security': 'Pod Security admission',
  reliability: 'Reliability',
  network: 'Network',
  rbac: 'RBAC',
  dockerfile: 'Dockerfiles',
  'cross-check': 'Dockerfile ↔ manifest',
};

export function renderChecksDoc(checks: readonly Check[]): string {
  const lines: string[] = [
    '# Audit checks',
    '',
    '<!-- Generated from src/audit/checks/index.ts by `npm run docs:checks`. Do not edit by hand. -->',
    '',
    `berth audit runs ${checks.length} checks. Severities: **error** fails the run by default, **warning** and **info** fail it`,
    'with `--fail-on warning` / `--fail-on info`. "Fix" says whether `berth audit --fix` repairs (some of) its findings;',
    'findings it cannot repair safely say why. See [audit.md](audit.md) for usage, suppression and configuration.',
    '',
    '| Check | Severity | Category | Fix | What it checks |',
    '|---|---|---|---|---|',
    ...checks.map(
      (c) =>
        `| [\`${c.id}\`](#${c.id}) | ${c.severity} | ${c.category} | ${c.fixable ? 'yes' : 'no'} | ${c.summary.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  const categories = [...new Set(checks.map((c) => c.category))];
  for (const category of categories) {
    lines.push(`## ${categoryTitles[category] ?? category}`, '');
    for (const c of checks.filter((x) => x.category === category)) {
      lines.push(
        `### ${c.id}`,
        '',
        `**Severity:** ${c.severity} · **Fix:** ${c.fixable ? 'yes' : 'no'} · **Input:** ${c.inputs}`,
        '',
        c.summary,
        '',
        c.docs
          .split(/\n\s*\n/)
          .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
          .join('\n\n'),
        '',
        `**Remediation:** ${c.remediation}`,
        '',
      );
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
