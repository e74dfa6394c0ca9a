/**
 * Helm charts: rendered with `helm template` (release name, namespace, values files, `--set`,
 * `--kube-version` passed through; test hooks skipped, as `helm install` does not create them),
 * then read like any manifest stream. Each object is placed at its template file (Helm's
 * `# Source:` comment) and at the line of the field there, as well as a template allows.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { sandboxVersions } from '../sandbox/versions.ts';
import { parseFast } from './fast-yaml.ts';
import { chartRelative, splitRendered, templateLineOf } from './helm-sources.ts';
import { objectsOf, parseText, type IncompleteDocument } from './parse.ts';
import { displayPath } from './paths.ts';
import { firstLines, runTool } from './run-tool.ts';
import { findHelm, helmInstallHint } from './tools.ts';
import type { InputObject, InputProblem, LoadOptions } from './types.ts';

export interface Rendered {
  objects: InputObject[];
  problems: InputProblem[];
  /** The chart (or kustomization) could not be rendered at all. */
  error?: { file: string; message: string; hint?: string };
  /** Files with a parse error in the rendered output. */
  unparseable: number;
  skipped: number;
  incomplete: IncompleteDocument[];
  parses: number;
}

const empty = (): Rendered => ({
  objects: [],
  problems: [],
  unparseable: 0,
  skipped: 0,
  incomplete: [],
  parses: 0,
});

/** The chart's `name` from Chart.yaml, else its folder name (`web-0.1.0.tgz`: `web`). */
async function chartName(dir: string): Promise<string> {
  if (dir.endsWith('.tgz')) return basename(dir, '.tgz').replace(/-v?\d+\.\d+\.\d+.*$/, '');
  const text = await readFile(join(dir, 'Chart.yaml'), 'utf8').catch(() => '');
  const value = parseFast(text)?.[0]?.value as { name?: unknown } | undefined;
  return typeof value?.name === 'string' && value.name !== '' ? value.name : basename(dir);
}

/** The `helm template` arguments for a chart folder. */
export async function helmArgs(dir: string, options: LoadOptions): Promise<string[]> {
  const chart = options.chart ?? {};
  const args = ['template', chart.release ?? (await chartName(dir)), dir, '--skip-tests'];
  if (chart.namespace !== undefined) args.push('--namespace', chart.namespace);
  for (const file of chart.values ?? []) args.push('--values', resolve(options.cwd, file));
  for (const entry of chart.set ?? []) args.push('--set', entry);
  // Helm built from the module proxy defaults to Kubernetes v1.20, which charts' kubeVersion
  // constraints refuse: render for berth's pinned release unless told otherwise.
  args.push('--kube-version', chart.kubeVersion ?? sandboxVersions().kubernetes);
  return args;
}

export async function renderChart(dir: string, options: LoadOptions): Promise<Rendered> {
  const display = displayPath(dir, options.cwd);
  const result = empty();
  const helm = findHelm(options.env);
  if (!helm) {
    result.error = {
      file: display,
      message: `${display} is a Helm chart, and helm was not found ($BERTH_HELM, PATH, ~/.cache/berth/tools/bin)`,
      hint: helmInstallHint,
    };
    return result;
  }
  const args = await helmArgs(dir, options);
  const run = await runTool(helm, args, {
    cwd: options.cwd,
    env: options.env,
    timeoutMs: options.toolTimeoutMs ?? 60_000,
  });
  if (!run.ok) {
    const missingDeps = /missing in charts\/ directory|dependencies/.test(run.stderr);
    result.error = {
      file: display,
      message: run.timedOut
        ? `helm template ${display} did not finish within ${(options.toolTimeoutMs ?? 60_000) / 1000}s`
        : `helm template ${display} failed: ${firstLines(run.stderr)}`,
      hint: missingDeps
        ? `run helm dependency build ${display}`
        : `run helm ${args.join(' ')} to see the whole error`,
    };
    return result;
  }
  const templates = new Map<string, string>();
  const templateText = (file: string): string => {
    let text = templates.get(file);
    if (text === undefined) {
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = '';
      }
      templates.set(file, text);
    }
    return text;
  };
  let index = 0;
  for (const piece of splitRendered(run.stdout)) {
    const absolute = piece.source
      ? join(dir, chartRelative(piece.source))
      : join(dir, 'Chart.yaml');
    const file = displayPath(absolute, options.cwd);
    const parsed = parseText(piece.text, file);
    result.parses += parsed.parses;
    if (parsed.problem) {
      result.unparseable++;
      result.problems.push({
        ...parsed.problem,
        message: `rendered template: ${parsed.problem.message}`,
      });
    }
    const found = objectsOf(parsed.documents, file, 'rendered');
    result.skipped += found.skipped;
    result.incomplete.push(...found.incomplete);
    result.problems.push(...found.problems);
    for (const o of found.objects) {
      const kind = o.object.kind;
      result.objects.push({
        ...o,
        documentIndex: -1 - index++,
        lineOf: (path) => templateLineOf(templateText(absolute), kind, path),
        producer: { kind: 'helm', root: display },
      });
    }
  }
  return result;
}
