/**
 * Reads what `berth audit` is given — files, folders, `-` for stdin — into the engine's input:
 * Kubernetes objects with their file and lines, Dockerfiles (with their .dockerignore), berth
 * specs (rendered, see spec.ts) and input problems (unparseable YAML). The only audit code that
 * touches the filesystem besides writing fixes.
 */
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { UsageError } from '../../errors.ts';
import { listFiles } from '../../fsutil/walk.ts';
import type { KubeObject } from '../../model/object.ts';
import {
  parseYamlStream,
  positionOf,
  type PathSegment,
  type YamlStream,
} from '../../yaml/stream.ts';
import { parseDockerfile, type DockerfileModel } from '../engine/dockerfile-model.ts';
import { isRecord } from '../engine/pods.ts';
import type { AuditInput, InputProblem } from '../engine/run.ts';
import type { LocatedObject, Origin } from '../engine/types.ts';
import { parseFast } from './fast-yaml.ts';
import { renderSpecStreams, isSpecValue } from './spec.ts';

export interface SourceFile {
  /** As shown in findings (relative to the working directory when inside it). */
  display: string;
  /** Absolute path, for writing fixes. */
  absolute: string;
  text: string;
}

/** A parsed document, from either YAML reader. */
interface ParsedDocument {
  index: number;
  value: unknown;
  lineOf: (path: readonly PathSegment[]) => number;
}

export interface CollectedInput extends AuditInput {
  /** Editable YAML sources by display path. */
  sources: Map<string, SourceFile>;
  files: number;
  skippedDocuments: number;
}

export interface CollectOptions {
  cwd: string;
  readStdin: () => Promise<string>;
  /** Dockerfile path (as given, relative to cwd) → image repositories, from the config file. */
  dockerfileImages?: ReadonlyMap<string, string[]>;
  /** Absolute path → content to use instead of the file's (a fix plan being checked). */
  overrides?: ReadonlyMap<string, string>;
}

const isDockerfileName = (name: string): boolean =>
  name === 'Dockerfile' ||
  name === 'Containerfile' ||
  name.startsWith('Dockerfile.') ||
  name.endsWith('.Dockerfile') ||
  name.endsWith('.dockerfile');
const isYamlName = (name: string): boolean =>
  /\.ya?ml$/i.test(name) && name !== '.berth-audit.yaml';

export async function collectInputs(
  paths: readonly string[],
  options: CollectOptions,
): Promise<CollectedInput> {
  const result: CollectedInput = {
    objects: [],
    dockerfiles: [],
    problems: [],
    sources: new Map(),
    files: 0,
    skippedDocuments: 0,
  };
  const objects: LocatedObject[] = [];
  const dockerfiles: DockerfileModel[] = [];
  const problems: InputProblem[] = [];
  for (const path of paths) {
    if (path === '-') {
      result.files++;
      const specStreams: YamlStream[] = [];
      addYaml(
        await options.readStdin(),
        '<stdin>',
        'stdin',
        specStreams,
        objects,
        problems,
        result,
      );
      addRendered(specStreams, objects, problems);
      continue;
    }
    const absolute = isAbsolute(path) ? path : join(options.cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`${path}: no such file or folder`);
    const files = info.isDirectory() ? await walk(absolute) : [absolute];
    const specStreams: YamlStream[] = [];
    for (const file of files) {
      const display = displayPath(file, options.cwd);
      const name = basename(file);
      result.files++;
      if (isDockerfileName(name)) {
        const text = await readFile(file, 'utf8');
        const ignore = await readFile(join(dirname(file), '.dockerignore'), 'utf8').then(
          (t) =>
            t
              .split(/\r?\n/)
              .map((l) => l.trim())
              .filter((l) => l !== '' && !l.startsWith('#')),
          () => null,
        );
        dockerfiles.push(
          parseDockerfile(text, display, {
            dockerignore: ignore,
            images: options.dockerfileImages?.get(display) ?? [],
          }),
        );
        continue;
      }
      const text = options.overrides?.get(file) ?? readFileSync(file, 'utf8');
      result.sources.set(display, { display, absolute: file, text });
      addYaml(text, display, 'file', specStreams, objects, problems, result);
    }
    addRendered(specStreams, objects, problems);
  }
  return { ...result, objects, dockerfiles, problems };
}

function addRendered(
  specStreams: YamlStream[],
  objects: LocatedObject[],
  problems: InputProblem[],
): void {
  if (specStreams.length === 0) return;
  const rendered = renderSpecStreams(specStreams);
  objects.push(...rendered.objects);
  problems.push(...rendered.problems);
}

/**
 * Adds the objects of one YAML text: through the fast reader when it parses and holds no berth
 * spec, else through the position-aware `yaml` reader (which reports every syntax error and
 * feeds spec validation).
 */
function addYaml(
  text: string,
  file: string,
  origin: Origin,
  specStreams: YamlStream[],
  objects: LocatedObject[],
  problems: InputProblem[],
  result: CollectedInput,
): void {
  const fast = parseFast(text);
  if (fast && !fast.some((d) => isSpecValue(d.value))) {
    addDocuments(fast, file, origin, objects, problems, result);
    return;
  }
  const stream = parseYamlStream(text, file);
  for (const d of stream.diagnostics) {
    problems.push({ check: 'parse-error', file, line: d.position?.line ?? 1, message: d.message });
  }
  const documents: ParsedDocument[] = [];
  for (const document of stream.documents) {
    if (isSpecValue(document.value)) {
      if (!specStreams.includes(stream)) specStreams.push(stream);
      continue;
    }
    documents.push({
      index: document.index,
      value: document.value,
      lineOf: (path) => positionOf(document, path).line,
    });
  }
  addDocuments(documents, file, origin, objects, problems, result);
}

/** Adds the Kubernetes objects of parsed documents (unpacking `kind: List`). */
function addDocuments(
  documents: readonly ParsedDocument[],
  file: string,
  origin: Origin,
  objects: LocatedObject[],
  problems: InputProblem[],
  result: CollectedInput,
): void {
  for (const document of documents) {
    const value = document.value;
    const items =
      isRecord(value) && value.kind === 'List' && Array.isArray(value.items)
        ? value.items.map((item: unknown, i) => ({ item, prefix: ['items', i] as PathSegment[] }))
        : [{ item: value, prefix: [] as PathSegment[] }];
    for (const { item, prefix } of items) {
      if (!isRecord(item) || typeof item.apiVersion !== 'string' || typeof item.kind !== 'string') {
        if (item !== null && item !== undefined) result.skippedDocuments++;
        continue;
      }
      const meta = item.metadata;
      if (!isRecord(meta) || typeof meta.name !== 'string' || meta.name === '') {
        if (isRecord(meta) && typeof meta.generateName === 'string') {
          meta.name = meta.generateName;
        } else {
          const line = document.lineOf([...prefix, 'metadata']);
          problems.push({
            check: 'invalid-object',
            file,
            line,
            message: `${item.kind} has no metadata.name`,
          });
          continue;
        }
      }
      objects.push({
        object: item as unknown as KubeObject,
        file,
        documentIndex: document.index,
        origin: prefix.length === 0 ? origin : 'list-item',
        lineOf:
          prefix.length === 0 ? document.lineOf : (path) => document.lineOf([...prefix, ...path]),
      });
    }
  }
}

function walk(dir: string): Promise<string[]> {
  return listFiles(dir, (name) => isYamlName(name) || isDockerfileName(name));
}

export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : file;
}
