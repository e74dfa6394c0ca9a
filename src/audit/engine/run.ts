/**
 * The audit engine: a pure function from located objects and Dockerfiles to findings. It runs
 * the selected checks, places every finding at file:line, applies severity overrides,
 * suppressions (annotations, Dockerfile comments, path ignores) and sorts the result.
 */
import { describeRef, refOf } from '../../model/object.ts';
import { formatPath } from '../../yaml/stream.ts';
import type { SchemaSet } from '../schema/types.ts';
import type { DockerfileModel } from './dockerfile-model.ts';
import { compileGlobs } from './glob.ts';
import { buildIndex } from './index-objects.ts';
import { isRecord } from './pods.ts';
import { ignoreAnnotation, isActive, parseSuppressions, type Suppression } from './suppress.ts';
import {
  defaultSettings,
  severityRank,
  type AuditContext,
  type AuditSettings,
  type Check,
  type Finding,
  type LocatedObject,
  type RawFinding,
  type Severity,
} from './types.ts';

/** A problem with the input itself (unparseable YAML, an object without a name). */
export interface InputProblem {
  check: 'parse-error' | 'invalid-object';
  file: string;
  line: number;
  message: string;
}

export interface AuditOptions {
  /** Only these checks (by id). @default every registered check */
  include?: readonly string[];
  /** Never these checks. @default none */
  exclude?: readonly string[];
  /** Per-check severity overrides. @default none */
  severity?: Readonly<Record<string, Severity>>;
  /** Findings in files matching these globs are dropped (third-party charts). @default none */
  ignorePaths?: readonly string[];
  /** Today, `YYYY-MM-DD`, for suppression expiry. Required: the core reads no clock. */
  today: string;
  settings?: Partial<AuditSettings>;
  /** OpenAPI schemas for `schema-validation`. @default none (the check reports nothing) */
  schemas?: SchemaSet;
}

export interface AuditInput {
  objects: readonly LocatedObject[];
  dockerfiles: readonly DockerfileModel[];
  problems: readonly InputProblem[];
}

export interface AuditResult {
  findings: Finding[];
  /** Findings silenced by a suppression, kept for the summary. */
  suppressed: number;
  checksRun: string[];
}

export function runAudit(
  input: AuditInput,
  registry: readonly Check[],
  options: AuditOptions,
): AuditResult {
  const known = new Set(registry.map((c) => c.id));
  const selected = registry.filter(
    (c) =>
      (options.include === undefined || options.include.includes(c.id)) &&
      !(options.exclude ?? []).includes(c.id),
  );
  const context: AuditContext = {
    objects: input.objects,
    dockerfiles: input.dockerfiles,
    index: buildIndex(input.objects, input.dockerfiles),
    settings: { ...defaultSettings, ...options.settings },
  };
  if (options.schemas) context.schemas = options.schemas;
  const findings: Finding[] = [];
  const byId = new Map(registry.map((c) => [c.id, c]));
  const selectedIds = new Set(selected.map((c) => c.id));
  for (const problem of input.problems) {
    const check = byId.get(problem.check);
    if (!check || !selectedIds.has(check.id)) continue;
    findings.push(
      toFinding(
        check,
        { message: problem.message, file: problem.file, line: problem.line },
        options,
      ),
    );
  }
  const invalid = byId.get('invalid-object');
  for (const check of selected) {
    let raws: RawFinding[];
    try {
      raws = check.run(context);
    } catch (error) {
      // A check met a field of an unexpected type: report it as invalid input, run the others.
      if (!invalid) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const message = `check ${check.id} could not read the input (${reason}): a field has an unexpected type; validate the manifests against the Kubernetes schema`;
      findings.push(
        toFinding(invalid, { message, file: input.objects[0]?.file ?? '-', line: 1 }, options),
      );
      continue;
    }
    for (const raw of raws) findings.push(toFinding(check, raw, options));
  }
  const suppressionCheck = byId.get('invalid-suppression');
  const { kept, suppressed, problems } = applySuppressions(findings, input, known, options.today);
  if (suppressionCheck && selectedIds.has(suppressionCheck.id)) {
    for (const p of problems) kept.push(toFinding(suppressionCheck, p, options));
  }
  const ignored = compileGlobs(options.ignorePaths ?? []);
  const visible = kept.filter((f) => !ignored(f.file));
  sortFindings(visible);
  return { findings: dedupe(visible), suppressed, checksRun: selected.map((c) => c.id) };
}

function toFinding(check: Check, raw: RawFinding, options: AuditOptions): Finding {
  const severity = options.severity?.[check.id] ?? raw.severity ?? check.severity;
  const target = raw.target;
  const file = target?.file ?? raw.file ?? '-';
  const line = target ? target.lineOf(raw.path ?? []) : (raw.line ?? 1);
  const editable = target === undefined || target.origin === 'file';
  const fixable = raw.fix !== undefined && editable;
  let message = raw.message;
  if (raw.fix === undefined && raw.unfixableReason && check.fixable) {
    message += ` (not fixed automatically: ${raw.unfixableReason})`;
  }
  const finding: Finding = {
    check: check.id,
    severity,
    file,
    line,
    message,
    remediation: check.remediation,
    fixable,
  };
  if (target) {
    finding.object = refOf(target.object);
    finding.location = {
      file: target.file,
      documentIndex: target.documentIndex,
      origin: target.origin,
    };
  }
  if (raw.path && raw.path.length > 0) finding.path = formatPath(raw.path);
  if (fixable && raw.fix) finding.fix = raw.fix;
  return finding;
}

function annotationsAt(object: unknown, path: readonly (string | number)[]): string | undefined {
  let node = object;
  for (const segment of path) node = isRecord(node) ? node[String(segment)] : undefined;
  return isRecord(node) && typeof node[ignoreAnnotation] === 'string'
    ? node[ignoreAnnotation]
    : undefined;
}

const templateMetaPaths = [
  ['spec', 'template', 'metadata', 'annotations'],
  ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations'],
];

function applySuppressions(
  findings: readonly Finding[],
  input: AuditInput,
  known: ReadonlySet<string>,
  today: string,
): { kept: Finding[]; suppressed: number; problems: RawFinding[] } {
  const byLocation = new Map<string, LocatedObject>();
  for (const o of input.objects) byLocation.set(`${o.file}#${o.documentIndex}`, o);
  const cache = new Map<LocatedObject, Suppression[]>();
  const problems: RawFinding[] = [];
  const suppressionsOf = (target: LocatedObject): Suppression[] => {
    const cached = cache.get(target);
    if (cached) return cached;
    const all: Suppression[] = [];
    const paths = [['metadata', 'annotations'], ...templateMetaPaths];
    for (const path of paths) {
      const value = annotationsAt(target.object, path);
      if (value === undefined) continue;
      const parsed = parseSuppressions(value, known);
      all.push(...parsed.suppressions);
      for (const p of parsed.problems) {
        problems.push({
          message: `${describeRef(refOf(target.object))}: ${p.message}`,
          target,
          path: [...path, ignoreAnnotation],
        });
      }
    }
    cache.set(target, all);
    return all;
  };
  for (const o of input.objects) suppressionsOf(o);
  const dockerfiles = new Map(input.dockerfiles.map((d) => [d.file, d]));
  for (const d of input.dockerfiles) {
    for (const p of d.commentProblems)
      problems.push({ message: p.message, file: d.file, line: p.line });
  }
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const finding of findings) {
    const target = finding.location
      ? byLocation.get(`${finding.location.file}#${finding.location.documentIndex}`)
      : undefined;
    let silenced = false;
    if (target) {
      const match = suppressionsOf(target).find((s) => s.check === finding.check);
      if (match && isActive(match, today)) silenced = true;
      else if (match?.until) finding.message += ` (its suppression expired on ${match.until})`;
    } else {
      const dockerfile = dockerfiles.get(finding.file);
      silenced =
        dockerfile?.ignores.some(
          (i) => i.check === finding.check && (i.line === undefined || i.line === finding.line),
        ) ?? false;
    }
    if (silenced) suppressed++;
    else kept.push(finding);
  }
  return { kept, suppressed, problems };
}

/**
 * Sorts by file, line, severity (highest first), check and message. Files are ranked once (a
 * corpus has thousands of findings in a few hundred files), so most comparisons compare numbers;
 * files that collate as equal share a rank, so the order is the one `compareText` on the paths
 * gives.
 */
function sortFindings(findings: Finding[]): void {
  const files = [...new Set(findings.map((f) => f.file))].sort(compareText);
  const rank = new Map<string, number>();
  files.forEach((file, i) => {
    const previous = files[i - 1];
    const same = previous !== undefined && compareText(previous, file) === 0;
    rank.set(file, same ? (rank.get(previous) ?? i) : i);
  });
  findings.sort(
    (a, b) =>
      (rank.get(a.file) ?? 0) - (rank.get(b.file) ?? 0) ||
      a.line - b.line ||
      severityRank[b.severity] - severityRank[a.severity] ||
      compareText(a.check, b.check) ||
      compareText(a.message, b.message),
  );
}

/** Check ids and other text of lowercase ASCII letters, digits and `-`. */
const PLAIN = /^[a-z0-9-]*$/;

/** The default collation, made on first use (what `localeCompare` without arguments uses). */
let collator: Intl.Collator | undefined;

/**
 * `a.localeCompare(b)`, without loading ICU's collation data (about 10 ms of start-up) when no
 * collation is needed: equal strings, and strings of lowercase ASCII letters, digits and `-`,
 * which the default collation orders as their code units (`-` < digits < letters). Otherwise one
 * shared `Intl.Collator`, which compares as `localeCompare` does without creating one per call.
 */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (PLAIN.test(a) && PLAIN.test(b)) return a < b ? -1 : 1;
  collator ??= new Intl.Collator();
  return collator.compare(a, b);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.check}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
