/**
 * `berth audit` as a function: config, inputs, engine, fixes, output. The CLI command parses
 * flags and calls `audit`; tests and the bench can call it too. Writes files only with --fix
 * (atomically), prints nothing itself: it returns the text to print.
 */
import { createTwoFilesPatch } from 'diff';
import { UsageError } from '../errors.ts';
import type { ChartOptions } from '../input/index.ts';
import { parseMaxFileSize } from '../input/size-cap.ts';
import { loadConfig } from './adapters/config.ts';
import { loadSchemas } from './adapters/schemas.ts';
import { collectInputs, type CollectedInput } from './adapters/inputs.ts';
import { checks as registry } from './checks/index.ts';
import { identity, namespaceOf } from './engine/index-objects.ts';
import { parseKubeMinor } from './engine/kube-version.ts';
import { runAudit } from './engine/run.ts';
import { severityRank, type Finding, type Severity } from './engine/types.ts';
import { formatJson } from './output/json.ts';
import { formatSarif } from './output/sarif.ts';
import { summarize, type AuditSummary } from './output/summary.ts';
import { formatText } from './output/text.ts';

export const OutputFormat = { text: 'text', json: 'json', sarif: 'sarif' } as const;
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

export interface AuditRequest {
  paths: string[];
  cwd: string;
  readStdin: () => Promise<string>;
  /** Environment for finding helm and kubectl. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** `helm template` pass-through for charts in the input. @default none */
  chart?: ChartOptions;
  /** @default 'text' */
  format?: OutputFormat;
  /** Lowest severity that fails the run; `none` never fails. @default 'error' */
  failOn?: Severity | 'none';
  /** Write fixes in place. @default false */
  fix?: boolean;
  /** With `fix`: print a unified diff instead of writing. @default false */
  dryRun?: boolean;
  /** Config file. @default `.berth-audit.yaml` in `cwd`, when present */
  config?: string;
  /** Only these check ids (replaces the config's include). @default the config's include, else all */
  include?: string[];
  /** Never these check ids. @default none */
  exclude?: string[];
  /** Colour in text output. @default false */
  colour?: boolean;
  /** Remediation under each finding in text output. @default false */
  verbose?: boolean;
  /** Kubernetes version the manifests are for (`1.30`): API removals and schema. @default the pinned release */
  kubeVersion?: string;
  /** Folders or files with CustomResourceDefinitions to validate custom resources against. @default none */
  crd?: string[];
  /** `--max-file-size`: the largest input file in MiB, `0` for no limit. @default 64 */
  maxFileSize?: string;
  /** `YYYY-MM-DD` for suppression expiry. @default today (UTC) */
  today?: string;
  version: string;
}

export interface AuditOutcome {
  /** What to print on stdout. */
  output: string;
  /** A note for stderr (the dry-run summary), or ''. */
  note: string;
  findings: Finding[];
  summary: AuditSummary;
  exit: 0 | 1 | 2;
}

export const docsUri = 'https://github.com/berth-dev/berth/blob/main/docs/checks.md';

export async function audit(request: AuditRequest): Promise<AuditOutcome> {
  const known = checkRequest(request);
  const config = loadConfig({ cwd: request.cwd, path: request.config, knownChecks: known });
  const include = request.include?.length ? request.include : config.include;
  const exclude = [...config.exclude, ...(request.exclude ?? [])];
  const selected = (id: string): boolean =>
    (include === undefined || include.includes(id)) && !exclude.includes(id);
  const targetMinor = kubeMinorOf(request.kubeVersion);
  const maxFileBytes = maxFileBytesOf(request.maxFileSize);
  const options = {
    include,
    exclude,
    severity: config.severity,
    ignorePaths: config.ignorePaths,
    settings: targetMinor === undefined ? config.settings : { ...config.settings, targetMinor },
    today: request.today ?? new Date().toISOString().slice(0, 10),
    ...(selected('schema-validation')
      ? {
          schemas: await loadSchemas({
            cwd: request.cwd,
            crdPaths: request.crd ?? [],
            ...(targetMinor === undefined ? {} : { targetMinor }),
          }),
        }
      : {}),
  };
  const collect = (overrides?: Map<string, string>): Promise<CollectedInput> =>
    collectInputs(request.paths.length ? request.paths : ['.'], {
      cwd: request.cwd,
      readStdin: request.readStdin,
      ...(request.env ? { env: request.env } : {}),
      ...(request.chart ? { chart: request.chart } : {}),
      dockerfileImages: config.dockerfiles,
      overrides,
      ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
    });
  let input = await collect();
  let result = runAudit(input, registry, options);
  let fixed: number | undefined;
  let note = '';
  let diff = '';
  if (request.fix) {
    // The fixer and the file writer load on first use: an audit without --fix never evaluates
    // them, nor `node:fs/promises` (ADR 0165).
    const [{ planFixes: planFixesFor }, { writeFileAtomic }] = await Promise.all([
      import('./fix/plan.ts'),
      import('../files/atomic.ts'),
    ]);
    const texts = new Map([...input.sources].map(([display, s]) => [display, s.text]));
    const existing = new Set(
      input.objects.map((o) => identity(o.object.kind, namespaceOf(o), o.object.metadata.name)),
    );
    const plan = planFixesFor(result.findings, texts, existing);
    fixed = plan.files.reduce((n, f) => n + f.fixed.length, 0);
    const overrides = new Map<string, string>();
    for (const f of plan.files) {
      const source = input.sources.get(f.file);
      if (!source) continue;
      overrides.set(source.absolute, f.after);
      if (request.dryRun)
        diff += createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, f.before, f.after, '', '');
      else await writeFileAtomic(source.absolute, f.after);
    }
    if (plan.files.length > 0) {
      input = await collect(overrides);
      result = runAudit(input, registry, options);
    }
    note = `${request.dryRun ? 'would fix' : 'fixed'} ${fixed} finding${fixed === 1 ? '' : 's'} in ${plan.files.length} file${plan.files.length === 1 ? '' : 's'}\n`;
  }
  const findings = result.findings;
  const summary = summarize(findings, {
    files: input.files,
    objects: input.objects.length,
    dockerfiles: input.dockerfiles.length,
    checks: result.checksRun.length,
    suppressed: result.suppressed,
    unparseable: input.unparseableFiles,
    ...(fixed !== undefined ? { fixed } : {}),
  });
  const output = request.dryRun ? diff : render(request, findings, summary);
  if (request.dryRun)
    note += formatText(findings, summary, { colour: false }).split('\n').slice(-2).join('\n');
  return { output, note, findings, summary, exit: exitCode(findings, request.failOn ?? 'error') };
}

function checkRequest(request: AuditRequest): Set<string> {
  const known = new Set(registry.map((c) => c.id));
  for (const id of [...(request.include ?? []), ...(request.exclude ?? [])]) {
    if (!known.has(id)) throw new UsageError(`unknown check "${id}" (see docs/checks.md)`);
  }
  if (request.dryRun && !request.fix) throw new UsageError('--dry-run only makes sense with --fix');
  return known;
}

function maxFileBytesOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const bytes = parseMaxFileSize(text);
  if (bytes === undefined)
    throw new UsageError(
      `--max-file-size ${text}: expected a size in MiB such as 128 (0: no limit)`,
    );
  return bytes;
}

function kubeMinorOf(version: string | undefined): number | undefined {
  if (version === undefined) return undefined;
  const minor = parseKubeMinor(version);
  if (minor === undefined)
    throw new UsageError(`--kube-version ${version}: expected a Kubernetes version such as 1.30`);
  return minor;
}

function render(request: AuditRequest, findings: Finding[], summary: AuditSummary): string {
  const format = request.format ?? 'text';
  if (format === 'json') return formatJson(findings, summary);
  if (format === 'sarif')
    return formatSarif(findings, registry, { version: request.version, docsUri });
  return formatText(findings, summary, {
    colour: request.colour ?? false,
    verbose: request.verbose ?? false,
  });
}

function exitCode(findings: readonly Finding[], failOn: Severity | 'none'): 0 | 1 | 2 {
  if (findings.some((f) => f.check === 'parse-error' || f.check === 'invalid-object')) return 2;
  if (failOn === 'none') return 0;
  return findings.some((f) => severityRank[f.severity] >= severityRank[failOn]) ? 1 : 0;
}
