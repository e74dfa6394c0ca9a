/**
 * Position-aware YAML: parse a multi-document stream and keep, for every document, the means to
 * answer "at which line and column is this field?". Used by the spec loader and by audit, so
 * every diagnostic and finding can name file:line:column. Pure: text in, data out.
 */
import {
  isCollection,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Diagnostic, SourcePosition } from '../errors.ts';

export type PathSegment = string | number;

export interface YamlDocument {
  file: string;
  /** 0-based index of the document in its stream. */
  index: number;
  /** The plain JavaScript value (null for an empty document). */
  value: unknown;
  /** The `yaml` library's document, for comment-preserving edits. */
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface YamlStream {
  file: string;
  text: string;
  documents: YamlDocument[];
  /** Syntax errors, each with its position. A document with an error is left out of `documents`. */
  diagnostics: Diagnostic[];
}

/** Parses a YAML stream. Never throws: syntax errors become diagnostics. */
export function parseYamlStream(text: string, file: string): YamlStream {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const documents: YamlDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!Array.isArray(parsed)) {
    diagnostics.push({ position: { file, line: 1, column: 1 }, message: 'not a YAML stream' });
  }
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const offset = error.pos[0];
        diagnostics.push({
          position: toPosition(file, lineCounter, offset),
          message: `YAML syntax error: ${firstLine(error.message)}`,
        });
      }
      return;
    }
    if (doc.contents === null && index > 0) return; // a trailing `---`
    documents.push({
      file,
      index,
      value: doc.toJS({ maxAliasCount: 1000 }) as unknown,
      doc,
      lineCounter,
    });
  });
  return { file, text, documents, diagnostics };
}

/**
 * The position of the node at `path`, or of its nearest existing ancestor (so a missing field is
 * reported where its parent is). With `key: true`, the position of the map key rather than the value.
 */
export function positionOf(
  document: YamlDocument,
  path: readonly PathSegment[],
  options: { key?: boolean } = {},
): SourcePosition {
  let node: unknown = document.doc.contents;
  let keyNode: unknown = undefined;
  let best: unknown = node;
  for (const segment of path) {
    if (!isCollection(node)) break;
    const pair = findPair(node, segment);
    if (!pair) break;
    keyNode = pair.key;
    node = pair.value;
    best = isNode(node) ? node : keyNode;
  }
  const target = options.key && keyNode !== undefined ? keyNode : best;
  const offset = isNode(target) && target.range ? target.range[0] : 0;
  return toPosition(document.file, document.lineCounter, offset);
}

function findPair(
  collection: YAMLMap | YAMLSeq,
  segment: PathSegment,
): { key: unknown; value: unknown } | undefined {
  if (isSeq(collection)) {
    if (typeof segment !== 'number') return undefined;
    const item: unknown = collection.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  for (const pair of collection.items) {
    const keyValue: unknown = isScalar(pair.key) ? pair.key.value : pair.key;
    if (String(keyValue) === String(segment)) return { key: pair.key, value: pair.value };
  }
  return undefined;
}

function toPosition(file: string, lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** `spec.agents[2].storage`, the way berth prints a field path. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}
