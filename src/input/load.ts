/**
 * The one input loader of `berth audit` and `berth apply`: files, folders, `-` for stdin, berth
 * spec workspaces, Helm charts and kustomizations, so both commands always see the same objects.
 * Each file is read and parsed once; a broken file gives one parse-error; a Go template is never
 * parsed as YAML (it is rendered with its chart, or reported once).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { YamlStream } from '../yaml/stream.ts';
import { templateLine } from './classify.ts';
import { discover, type Entry } from './discover.ts';
import type { Rendered } from './helm.ts';
import { objectsOf, parseText } from './parse.ts';
import { displayPath } from './paths.ts';
import { checkFileSize } from './size-cap.ts';
import type { LoadedInput, LoadOptions, Origin } from './types.ts';

export async function loadInputs(
  paths: readonly string[],
  options: LoadOptions,
): Promise<LoadedInput> {
  const input: LoadedInput = {
    objects: [],
    problems: [],
    errors: [],
    dockerfiles: [],
    sources: new Map(),
    files: 0,
    unparseableFiles: 0,
    skippedDocuments: 0,
    incomplete: [],
    parses: 0,
    specObjects: 0,
  };
  for (const path of paths) {
    const specStreams: YamlStream[] = [];
    if (path === '-') {
      input.files++;
      const text = await options.readStdin();
      checkFileSize('<stdin>', Buffer.byteLength(text), options.maxFileBytes);
      addText(input, text, '<stdin>', 'stdin', specStreams);
    } else {
      const absolute = isAbsolute(path) ? path : join(options.cwd, path);
      for (const entry of await discover(absolute, path))
        await addEntry(input, entry, options, specStreams);
    }
    if (specStreams.length > 0) {
      const { renderSpecStreams } = await import('./spec.ts');
      const rendered = renderSpecStreams(specStreams);
      input.objects.push(...rendered.objects);
      input.problems.push(...rendered.problems);
      input.specObjects += rendered.objects.length;
    }
  }
  return input;
}

async function addEntry(
  input: LoadedInput,
  entry: Entry,
  options: LoadOptions,
  specStreams: YamlStream[],
): Promise<void> {
  const display = displayPath(entry.path, options.cwd);
  input.files++;
  switch (entry.kind) {
    case 'yaml': {
      const text =
        options.overrides?.get(entry.path) ?? readCapped(entry.path, display, options.maxFileBytes);
      input.sources.set(display, { display, absolute: entry.path, text });
      addText(input, text, display, 'file', specStreams);
      return;
    }
    case 'dockerfile': {
      if (!options.dockerfiles) {
        input.files--;
        return;
      }
      const text = readCapped(entry.path, display, options.maxFileBytes);
      const ignore = readDockerignore(join(dirname(entry.path), '.dockerignore'));
      input.dockerfiles.push({ display, absolute: entry.path, text, dockerignore: ignore });
      return;
    }
    case 'template': {
      const chart = displayPath(entry.chart, options.cwd);
      input.unparseableFiles++;
      input.problems.push({
        check: 'parse-error',
        file: display,
        line: 1,
        column: 1,
        message: `Helm template of the chart ${chart}: audit the chart, not its templates (berth audit ${chart})`,
        hint: `berth audit ${chart}`,
      });
      return;
    }
    case 'chart': {
      // Helm and kustomize input load on first use: a plain manifest never evaluates them (ADR 0165).
      const { renderChart } = await import('./helm.ts');
      addRendered(input, await renderChart(entry.path, options));
      return;
    }
    case 'kustomization': {
      const { buildKustomization, plainResources } = await import('./kustomize.ts');
      const files = await plainResources(entry.path);
      if (!files) {
        addRendered(input, await buildKustomization(entry.path, options));
        return;
      }
      input.files--;
      for (const path of files) await addEntry(input, { kind: 'yaml', path }, options, specStreams);
      return;
    }
  }
}

/**
 * A file's text, refused (InvalidInputError naming it) when it is over the size cap before it is
 * read. Synchronous on purpose: one open, fstat and read per file, where awaiting each file's
 * stat and read in turn left the process idle between thread-pool round trips (ADR 0130).
 */
function readCapped(path: string, display: string, maxBytes: number | undefined): string {
  const fd = openSync(path, 'r');
  try {
    checkFileSize(display, fstatSync(fd).size, maxBytes);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function addRendered(input: LoadedInput, rendered: Rendered): void {
  if (rendered.error) input.errors.push(rendered.error);
  input.objects.push(...rendered.objects);
  input.problems.push(...rendered.problems);
  input.unparseableFiles += rendered.unparseable;
  input.skippedDocuments += rendered.skipped;
  input.incomplete.push(...rendered.incomplete);
  input.parses += rendered.parses;
}

/** One YAML text: a Go template is reported once; anything else is parsed once. */
function addText(
  input: LoadedInput,
  text: string,
  file: string,
  origin: Origin,
  specStreams: YamlStream[],
): void {
  const template = templateLine(text);
  if (template !== undefined) {
    input.unparseableFiles++;
    input.problems.push({
      check: 'parse-error',
      file,
      line: template,
      column: 1,
      message:
        'Helm template: not YAML until rendered; audit the chart (berth audit <chart folder>), or render it first (helm template <chart> | berth audit -)',
    });
    return;
  }
  const parsed = parseText(text, file);
  input.parses += parsed.parses;
  if (parsed.problem) {
    input.unparseableFiles++;
    input.problems.push(parsed.problem);
  }
  if (parsed.specStream) specStreams.push(parsed.specStream);
  const found = objectsOf(parsed.documents, file, origin);
  input.objects.push(...found.objects);
  input.problems.push(...found.problems);
  input.skippedDocuments += found.skipped;
  input.incomplete.push(...found.incomplete);
}

/** The patterns of a Dockerfile's `.dockerignore`, or null when there is none to read. */
function readDockerignore(path: string): string[] | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
