/** docs/detectors.md, generated from the detector registry (a test keeps the file in step). */
import { detectors } from './detectors/index.ts';

export function detectorsMarkdown(): string {
  const lines = [
    '# Watchdog detectors',
    '',
    '<!-- Generated from src/watchdog/detectors by `node --import tsx scripts/docs-detectors.ts`; do not edit. -->',
    '',
    'Each detector is a pure function over the watched cluster state (src/watchdog/detectors, one',
    'file each). Findings carry `{detector, severity, object, reason, evidence, fingerprint}`;',
    'findings with one fingerprint are one incident, and everything on a NotReady node is folded',
    "into that node's incident. See [watchdog.md](watchdog.md).",
    '',
    '| id | severity | runs on | reads |',
    '| --- | --- | --- | --- |',
    ...detectors.map(
      (d) =>
        `| [\`${d.id}\`](#${d.id}) | ${d.severity} | ${d.trigger === 'schedule' ? `schedule \`${d.schedule}\`` : d.trigger === 'metrics' ? 'each metrics poll' : 'every watched change'} | ${d.reads.map((r) => `\`${r}\``).join(', ')} |`,
    ),
    '',
  ];
  for (const d of detectors) {
    lines.push(`## ${d.id}`, '', d.description, '', `**Remediation:** ${d.remediation}`, '');
    if (d.always) lines.push('Always delivered, even when all is well.', '');
  }
  return lines.join('\n');
}
