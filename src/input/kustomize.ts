/**
 * Kustomize folders: built with `kubectl kustomize` (or `kustomize build`) through a wrapper
 * kustomization in a temporary folder that only adds `buildMetadata: [originAnnotations]`, so
 * every object says which base or overlay file it came from; findings then point at that file
 * and at the line of the field there (or of its nearest ancestor, for fields a patch added).
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { PathSegment } from '../yaml/stream.ts';
import { kustomizationFiles } from './classify.ts';
import { parseFast, type FastDocument } from './fast-yaml.ts';
import type { Rendered } from './helm.ts';
import {
  localReferences,
  matchSource,
  originOf,
  stripOrigin,
  wantsOrigins,
} from './kustomize-origin.ts';
import { objectsOf, parseText } from './parse.ts';
import { displayPath } from './paths.ts';
import { firstLines, runTool } from './run-tool.ts';
import { findKustomize, kustomizeInstallHint } from './tools.ts';
import type { LoadOptions } from './types.ts';

async function kustomizationText(dir: string): Promise<string> {
  for (const name of kustomizationFiles) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (text !== undefined) return text;
  }
  return '';
}

/** The local folders a kustomization folder builds on, absolute. */
export async function referencedFolders(dir: string): Promise<string[]> {
  const value = parseFast(await kustomizationText(dir))?.[0]?.value;
  return localReferences(value).map((entry) => resolve(dir, entry));
}

/**
 * The files of a kustomization that only lists local files (`resources:` and nothing else, as
 * `berth render -o` writes): its objects are those files' objects, so they are read as plain,
 * editable files without kustomize. Undefined for any other kustomization.
 */
export async function plainResources(dir: string): Promise<string[] | undefined> {
  const value = parseFast(await kustomizationText(dir))?.[0]?.value;
  if (typeof value !== 'object' || value === null) return undefined;
  const k = value as Record<string, unknown>;
  if (Object.keys(k).some((key) => !['apiVersion', 'kind', 'resources'].includes(key)))
    return undefined;
  const resources = Array.isArray(k.resources) ? k.resources : [];
  const files: string[] = [];
  for (const entry of resources) {
    if (typeof entry !== 'string' || entry.includes('..') || !/\.ya?ml$/i.test(entry))
      return undefined;
    const file = resolve(dir, entry);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    files.push(file);
  }
  return files;
}

interface SourceDoc {
  kind: string;
  name: string;
  lineOf: (path: readonly PathSegment[]) => number;
}

export async function buildKustomization(dir: string, options: LoadOptions): Promise<Rendered> {
  const display = displayPath(dir, options.cwd);
  const result: Rendered = {
    objects: [],
    problems: [],
    unparseable: 0,
    skipped: 0,
    incomplete: [],
    parses: 0,
  };
  const tool = findKustomize(options.env);
  if (!tool) {
    result.error = {
      file: display,
      message: `${display} is a kustomization, and neither kubectl nor kustomize was found`,
      hint: kustomizeInstallHint,
    };
    return result;
  }
  const timeoutMs = options.toolTimeoutMs ?? 60_000;
  const run = (folder: string) =>
    runTool(tool.program, [...tool.args, folder], {
      cwd: options.cwd,
      env: options.env,
      timeoutMs,
    });
  const wrapper = await mkdtemp(join(tmpdir(), 'berth-kustomize-'));
  let output;
  try {
    await writeFile(
      join(wrapper, 'kustomization.yaml'),
      `resources:\n  - ${JSON.stringify(relative(wrapper, dir))}\nbuildMetadata: [originAnnotations]\n`,
    );
    output = await run(wrapper);
    // A failure is reported as the user's own build reports it, without the wrapper.
    if (!output.ok && !output.timedOut) output = { ...(await run(dir)), ok: false };
  } finally {
    await rm(wrapper, { recursive: true, force: true });
  }
  if (!output.ok) {
    result.error = {
      file: display,
      message: output.timedOut
        ? `kustomize build ${display} did not finish within ${timeoutMs / 1000}s`
        : `kustomize build ${display} failed: ${firstLines(output.stderr)}`,
      hint: `run ${[tool.program, ...tool.args, display].join(' ')} to see the whole error`,
    };
    return result;
  }
  const keepOrigins = wantsOrigins(await kustomizationText(dir));
  const parsed = parseText(output.stdout, display);
  result.parses += parsed.parses;
  if (parsed.problem) {
    result.unparseable++;
    result.problems.push(parsed.problem);
  }
  const found = objectsOf(parsed.documents, display, 'rendered');
  result.skipped += found.skipped;
  result.incomplete.push(...found.incomplete);
  result.problems.push(...found.problems);
  const sources = new Map<string, SourceDoc[]>();
  let index = 0;
  for (const o of found.objects) {
    const origin = originOf(o.object);
    if (!keepOrigins) stripOrigin(o.object);
    const absolute = origin ? resolve(wrapper, origin.file) : join(dir, 'kustomization.yaml');
    const file = displayPath(absolute, options.cwd);
    let lineOf: (path: readonly PathSegment[]) => number = () => 1;
    if (origin && !origin.generated) {
      const docs = sources.get(absolute) ?? (await readSourceDocs(absolute));
      sources.set(absolute, docs);
      const match = matchSource(docs, o.object.kind, o.object.metadata.name ?? '');
      if (match) lineOf = match.lineOf;
    } else if (origin) {
      const line = generatorLine(
        await readFile(absolute, 'utf8').catch(() => ''),
        o.object.metadata.name ?? '',
      );
      lineOf = () => line;
    }
    result.objects.push({
      ...o,
      file,
      documentIndex: -1 - index++,
      lineOf,
      producer: { kind: 'kustomize', root: display },
    });
  }
  return result;
}

async function readSourceDocs(file: string): Promise<SourceDoc[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const docs: FastDocument[] = parseFast(text) ?? [];
  return docs.flatMap((d) => {
    const v = d.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
    if (typeof v?.kind !== 'string') return [];
    const name = typeof v.metadata?.name === 'string' ? v.metadata.name : '';
    return [{ kind: v.kind, name, lineOf: d.lineOf }];
  });
}

/** The line of a generator's `name:` in a kustomization (the built name adds a prefix and hash). */
function generatorLine(kustomization: string, builtName: string): number {
  let best = 0;
  let bestLength = 0;
  kustomization.split('\n').forEach((line, i) => {
    const name = /^\s*(?:-\s+)?name:\s*["']?([^"'\s#]+)/.exec(line)?.[1];
    if (name !== undefined && builtName.includes(name) && name.length > bestLength) {
      best = i;
      bestLength = name.length;
    }
  });
  return best + 1;
}
