/**
 * Position-aware YAML: parse a multi-document stream and keep, for every document, the means to
 * answer "at which line and column is this field?". Used by the spec loader and by audit, so
 * every diagnostic and finding can name file:line:column. Pure: text in, data out.
 *
 * Two paths, one result (docs/adr/0053): js-yaml builds the values of a plain, valid stream
 * several times faster than the `yaml` library's document model, and the `yaml` document (node
 * ranges for positions, comment-preserving edits) is built only when someone asks for a
 * position or the document, which happens when there is an error to report or a fix to make.
 * Streams that js-yaml rejects, or that use YAML features where the two libraries could read
 * differently (anchors, tags, directives, complex or null keys, `0b`/`1_000` numbers), take the
 * `yaml` library's path from the start, so diagnostics are the same byte for byte.
 */
import jsyaml from 'js-yaml';
import {
  isCollection,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Diagnostic, SourcePosition } from '../errors.ts';

export type PathSegment = string | number;

export interface YamlDocument {
  readonly file: string;
  /** 0-based index of the document in its stream. */
  readonly index: number;
  /** The plain JavaScript value (null for an empty document). */
  readonly value: unknown;
  /** The `yaml` library's document, for positions and comment-preserving edits (built on first use). */
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export interface YamlStream {
  file: string;
  text: string;
  documents: YamlDocument[];
  /** Syntax errors, each with its position. A document with an error is left out of `documents`. */
  diagnostics: Diagnostic[];
  /** Which path read it: `fast` (js-yaml, `yaml` document on demand) or `full` (the `yaml` library). */
  reader?: 'fast' | 'full';
}

/** Parses a YAML stream. Never throws: syntax errors become diagnostics. */
export function parseYamlStream(text: string, file: string): YamlStream {
  return parseFastStream(text, file) ?? parseFullStream(text, file);
}

/**
 * YAML that both parsers read the same way: no directives (`%YAML 1.1` changes the schema), tags,
 * anchors or aliases, complex (`? `) or null keys, binary or underscored numbers (YAML 1.1
 * forms js-yaml still reads as numbers).
 */
const DIFFERENT_READINGS = [
  /^%/m,
  /(?:^|[\s[{,])!/m,
  /(?:^|[\s[{,:-])[&*][^\s,\]}]/m,
  /^[\s-]*\?(?:\s|$)/m,
  /(?:^|[\s{,-])(?:~|null|Null|NULL)?\s*:(?:\s|$)/m,
  /(?:^|[\s:[{,-])[-+]?(?:0b|\d[\d_]*_)/m,
];

/** js-yaml with the YAML 1.2 core schema, as the `yaml` library reads by default. */
function parseFastStream(text: string, file: string): YamlStream | undefined {
  if (DIFFERENT_READINGS.some((pattern) => pattern.test(text))) return undefined;
  let values: unknown[];
  try {
    values = jsyaml.loadAll(text, null, { schema: jsyaml.CORE_SCHEMA, filename: file });
  } catch (error) {
    if (error instanceof jsyaml.YAMLException) return undefined;
    throw error;
  }
  // The `yaml` library drops a trailing empty document (`---` at the end) but keeps `null`:
  // js-yaml cannot tell them apart, so such streams take the full path.
  if (values.some((v, i) => v === null && i > 0)) return undefined;
  let full: YamlStream | undefined;
  const fullDocument = (index: number): YamlDocument => {
    full ??= parseFullStream(text, file);
    const found = full.documents.find((d) => d.index === index);
    if (!found) throw new Error(`${file}: document ${index} read differently by the YAML parsers`);
    return found;
  };
  const documents = values.map((value, index): YamlDocument => ({
    file,
    index,
    value,
    get doc() {
      return fullDocument(index).doc;
    },
    get lineCounter() {
      return fullDocument(index).lineCounter;
    },
  }));
  return { file, text, documents, diagnostics: [], reader: 'fast' };
}

/** The `yaml` library's document model: every syntax error with its position. */
export function parseFullStream(text: string, file: string): YamlStream {
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
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      // An unresolved alias, or an alias bomb past the expansion budget: the user's input.
      diagnostics.push({
        position: toPosition(file, lineCounter, aliasOffset(doc) ?? doc.range[0]),
        message: `YAML alias error: ${firstLine(error instanceof Error ? error.message : String(error))}`,
      });
      return;
    }
    documents.push({ file, index, value, doc, lineCounter });
  });
  return { file, text, documents, diagnostics, reader: 'full' };
}

/** The offset of the first alias whose anchor is missing, else of the first alias. */
function aliasOffset(doc: Document.Parsed): number | undefined {
  let first: number | undefined;
  let unresolved: number | undefined;
  visit(doc, {
    Alias(_, node) {
      const at = node.range?.[0];
      first ??= at;
      if (unresolved === undefined && node.resolve(doc) === undefined) unresolved = at;
    },
  });
  return unresolved ?? first;
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
