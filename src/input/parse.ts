/**
 * One YAML text in, Kubernetes objects out, each file parsed once: the fast js-yaml reader for
 * manifests, the position-aware `yaml` reader for berth specs (validation needs its documents)
 * and for broken files (it reports every syntax error; berth shows the first and counts the
 * rest). Pure: text in, data out.
 */
import type { KubeObject } from '../model/object.ts';
import {
  parseFullStream,
  parseYamlStream,
  positionOf,
  type PathSegment,
  type YamlStream,
} from '../yaml/stream.ts';
import { mayHoldSpec } from './classify.ts';
import { parseFast } from './fast-yaml.ts';
import type { InputObject, InputProblem, Origin } from './types.ts';
import { isSpecDocument } from '../spec/api-version.ts';

/** A parsed document, from either reader. */
export interface ParsedDocument {
  index: number;
  value: unknown;
  lineOf: (path: readonly PathSegment[]) => number;
}

export interface ParsedText {
  documents: ParsedDocument[];
  /** The `yaml` reader's stream when the text holds berth spec documents. */
  specStream?: YamlStream;
  /** At most one: the first syntax error, with the count of the others. */
  problem?: InputProblem;
  /** Parses made (2 only for a broken file: the fast reader fails, then the reporting one runs). */
  parses: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a YAML stream; never throws. */
export function parseText(text: string, file: string): ParsedText {
  if (!mayHoldSpec(text)) {
    const fast = parseFast(text);
    if (fast) return { documents: fast, parses: 1 };
  }
  // A spec: one parse (js-yaml when it can, positions on demand). A broken manifest: the fast
  // reader failed, so the reporting reader runs.
  const spec = mayHoldSpec(text);
  const stream = spec ? parseYamlStream(text, file) : parseFullStream(text, file);
  const parses = spec ? 1 : 2;
  const documents: ParsedDocument[] = [];
  let specs = false;
  for (const document of stream.documents) {
    if (isSpecDocument(document.value)) {
      specs = true;
      continue;
    }
    documents.push({
      index: document.index,
      value: document.value,
      lineOf: (path) => positionOf(document, path).line,
    });
  }
  const result: ParsedText = { documents, parses };
  if (specs) result.specStream = stream;
  const [first, ...rest] = stream.diagnostics;
  if (first) {
    const more = rest.length > 0 ? ` (and ${rest.length} more in this file)` : '';
    result.problem = {
      check: 'parse-error',
      file,
      line: first.position?.line ?? 1,
      column: first.position?.column ?? 1,
      message: `${first.message}${more}`,
    };
  }
  return result;
}

export interface ObjectsOfDocuments {
  objects: InputObject[];
  problems: InputProblem[];
  /** Documents with content that are not Kubernetes objects (values files, kustomizations). */
  skipped: number;
  /** Of those, the ones that look like an object but lack apiVersion or kind (apply refuses them). */
  incomplete: IncompleteDocument[];
}

export interface IncompleteDocument {
  file: string;
  /** 0-based index of the document in its file. */
  documentIndex: number;
  line: number;
  missing: string[];
}

/**
 * The Kubernetes objects of parsed documents: `kind: List` unpacked; an object without
 * `metadata.name` (and without `generateName`) is an `invalid-object` problem.
 */
export function objectsOf(
  documents: readonly ParsedDocument[],
  file: string,
  origin: Origin,
): ObjectsOfDocuments {
  const out: ObjectsOfDocuments = { objects: [], problems: [], skipped: 0, incomplete: [] };
  for (const document of documents) {
    const value = document.value;
    const items =
      isRecord(value) && value.kind === 'List' && Array.isArray(value.items)
        ? value.items.map((item: unknown, i) => ({ item, prefix: ['items', i] as PathSegment[] }))
        : [{ item: value, prefix: [] as PathSegment[] }];
    for (const { item, prefix } of items) {
      if (!isRecord(item) || typeof item.apiVersion !== 'string' || typeof item.kind !== 'string') {
        if (item !== null && item !== undefined) out.skipped++;
        if (isRecord(item) && ('apiVersion' in item || 'kind' in item || 'metadata' in item))
          out.incomplete.push({
            file,
            documentIndex: document.index,
            line: document.lineOf(prefix),
            missing: (['apiVersion', 'kind'] as const).filter((f) => typeof item[f] !== 'string'),
          });
        continue;
      }
      const meta = item.metadata;
      const named = isRecord(meta) && typeof meta.name === 'string' && meta.name !== '';
      if (!named && !(isRecord(meta) && typeof meta.generateName === 'string')) {
        const position = document.lineOf([...prefix, 'metadata']);
        out.problems.push({
          check: 'invalid-object',
          file,
          line: position,
          column: 1,
          message: `${item.kind} has no metadata.name`,
        });
        continue;
      }
      out.objects.push({
        object: item as unknown as KubeObject,
        file,
        documentIndex: document.index,
        origin: prefix.length === 0 ? origin : 'list-item',
        lineOf:
          prefix.length === 0 ? document.lineOf : (path) => document.lineOf([...prefix, ...path]),
      });
    }
  }
  return out;
}
