/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it — one run, the tool driver
 * with a rule per check (id, name, short and full description, help text and markdown, default
 * level), results with ruleId/ruleIndex, level, message and a physical location relative to the
 * repository root (`%SRCROOT%`), and a partial fingerprint so alerts survive line moves.
 */
import type { Check, Finding, Severity } from '../engine/types.ts';

const levels: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export const sarifSchema = 'https://json.schemastore.org/sarif-2.1.0.json';

export function formatSarif(
  findings: readonly Finding[],
  checks: readonly Check[],
  options: { version: string; docsUri: string },
): string {
  const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));
  const rules = checks.map((c) => ({
    id: c.id,
    name: pascal(c.id),
    shortDescription: { text: c.summary },
    fullDescription: { text: clip(c.docs.replace(/\s*\n\s*/g, ' '), 1000) },
    helpUri: `${options.docsUri}#${c.id}`,
    help: { text: c.remediation, markdown: `**${c.id}**: ${c.remediation}\n\n${c.docs}` },
    defaultConfiguration: { level: levels[c.severity] },
    properties: {
      tags: [c.category],
      'problem.severity': c.severity === 'info' ? 'recommendation' : c.severity,
    },
  }));
  const results = findings.map((f) => ({
    ruleId: f.check,
    ruleIndex: ruleIndex.get(f.check) ?? 0,
    level: levels[f.severity],
    message: { text: `${f.message}. ${f.remediation}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: Math.max(1, f.line) },
        },
      },
    ],
    partialFingerprints: {
      'berthFinding/v1': fingerprint(
        `${f.check}|${f.file}|${f.object ? `${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}` : ''}|${f.path ?? ''}`,
      ),
    },
  }));
  const log = {
    $schema: sarifSchema,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'berth',
            informationUri: options.docsUri,
            semanticVersion: options.version,
            version: options.version,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Keeps a text under `max` characters (viewers truncate long descriptions anyway). */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

function toUri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
}

/** FNV-1a, hex: stable across runs and platforms. */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
