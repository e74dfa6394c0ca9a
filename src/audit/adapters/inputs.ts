/**
 * Reads what `berth audit` is given — files, folders, `-` for stdin — into the engine's input:
 * Kubernetes objects with their file and lines, Dockerfiles (with their .dockerignore), berth
 * specs (rendered, see spec.ts) and input problems (unparseable YAML). The only audit code that
 * touches the filesystem besides writing fixes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { UsageError } from '../../errors.ts';
import type { KubeObject } from '../../kube/object.ts';
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
import { renderSpecStreams, isSpecValue } from './spec.ts';

export interface SourceFile {
  /** As shown in findings (relative to the working directory when inside it). */
  display: string;
  /** Absolute path, for writing fixes. */
  absolute: string;
  text: string;
  stream: YamlStream;
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
      const stream = parseYamlStream(await options.readStdin(), '<stdin>');
      result.files++;
      addStream(stream, 'stdin', [stream], objects, problems, result);
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
      const text = options.overrides?.get(file) ?? (await readFile(file, 'utf8'));
      const stream = parseYamlStream(text, display);
      result.sources.set(display, { display, absolute: file, text, stream });
      addStream(stream, 'file', specStreams, objects, problems, result);
    }
    if (specStreams.length > 0) {
      const rendered = renderSpecStreams(specStreams);
      objects.push(...rendered.objects);
      problems.push(...rendered.problems);
    }
  }
  return { ...result, objects, dockerfiles, problems };
}

/** Adds the Kubernetes objects of a stream; spec documents go to `specStreams` (once per stream). */
function addStream(
  stream: YamlStream,
  origin: Origin,
  specStreams: YamlStream[],
  objects: LocatedObject[],
  problems: InputProblem[],
  result: CollectedInput,
): void {
  for (const d of stream.diagnostics) {
    problems.push({
      check: 'parse-error',
      file: stream.file,
      line: d.position?.line ?? 1,
      message: d.message,
    });
  }
  let hasSpec = false;
  for (const document of stream.documents) {
    const value = document.value;
    if (isSpecValue(value)) {
      hasSpec = true;
      continue;
    }
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
          const line = positionOf(document, [...prefix, 'metadata']).line;
          problems.push({
            check: 'invalid-object',
            file: stream.file,
            line,
            message: `${item.kind} has no metadata.name`,
          });
          continue;
        }
      }
      objects.push({
        object: item as unknown as KubeObject,
        file: stream.file,
        documentIndex: document.index,
        origin,
        lineOf: (path) => positionOf(document, [...prefix, ...path]).line,
      });
    }
  }
  if (hasSpec && !specStreams.includes(stream)) specStreams.push(stream);
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (isYamlName(entry.name) || isDockerfileName(entry.name)) out.push(path);
  }
  return out;
}

export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : file;
}
