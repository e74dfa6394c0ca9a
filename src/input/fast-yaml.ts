/**
 * A fast path for reading Kubernetes YAML: the block reader (ADR 0160) or, for a text outside
 * its subset, js-yaml (several times faster than the `yaml` library's document model, which audit
 * only needs for fixes) build the values and record the line span of every mapping and sequence.
 * A field's line is then the line of its nearest enclosing collection, refined by finding the key
 * inside that collection's lines. Any parse error falls back to `parseYamlStream`, which reports
 * every error with its position. See docs/adr/0041-js-yaml-fast-path.md.
 */
import jsyaml from 'js-yaml';
import type { PathSegment } from '../yaml/stream.ts';
import { readBlockYaml } from './block-yaml.ts';
import { schema } from './yaml-schema.ts';
import { addSpan, newSpans, spanOf, type Span, type Spans } from './yaml-spans.ts';

/**
 * Where each line of a text starts, computed on the first position asked for: a finding's line
 * needs a few lines of its file, so the text is not split into one string per line.
 */
class Lines {
  private starts: Int32Array | undefined;
  constructor(readonly text: string) {}

  private get offsets(): Int32Array {
    if (this.starts) return this.starts;
    let count = 1;
    for (let at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1)) count++;
    const starts = new Int32Array(count);
    for (let l = 1, at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1))
      starts[l++] = at + 1;
    this.starts = starts;
    return starts;
  }

  get length(): number {
    return this.offsets.length;
  }

  /** Offset of line `l`'s first character. */
  start(l: number): number {
    return this.offsets[l] ?? this.text.length;
  }

  /** Line `l` without its newline, as `text.split('\n')[l]` would give it. */
  line(l: number): string {
    const end = l + 1 < this.length ? this.start(l + 1) - 1 : this.text.length;
    return this.text.slice(this.start(l), end);
  }
}

export interface FastDocument {
  index: number;
  value: unknown;
  /** 1-based line of the field at `path`, or of its nearest existing ancestor. */
  lineOf: (path: readonly PathSegment[]) => number;
}

/**
 * Parses a multi-document stream, or returns undefined when it has a syntax error. The block
 * reader (ADR 0160) reads the common subset of manifests; anything outside it goes to js-yaml.
 */
export function parseFast(text: string): FastDocument[] | undefined {
  let spans = newSpans();
  let values = readBlockYaml(text, spans);
  if (!values) {
    spans = newSpans();
    values = readJsYaml(text, spans);
    if (!values) return undefined;
  }
  return documentsOf(text, values, spans);
}

/** js-yaml, its parse-event listener recording the spans; undefined on a syntax error. */
export function readJsYaml(text: string, spans: Spans): unknown[] | undefined {
  const stack: number[] = [];
  const listener = (event: 'open' | 'close', state: jsyaml.State): void => {
    if (event === 'open') {
      stack.push(state.line);
      return;
    }
    const open = stack.pop() ?? 0;
    const result: unknown = state.result;
    if (typeof result === 'object' && result !== null) addSpan(spans, result, open, state.line);
  };
  try {
    return jsyaml.loadAll(text, null, { listener, schema });
  } catch (error) {
    if (error instanceof jsyaml.YAMLException) return undefined;
    throw error;
  }
}

function documentsOf(text: string, values: unknown[], spans: Spans): FastDocument[] {
  const lines = new Lines(text);
  return values.map((value, index) => ({
    index,
    value,
    lineOf: (path) => locate(value, path, spans, lines),
  }));
}

function locate(root: unknown, path: readonly PathSegment[], spans: Spans, lines: Lines): number {
  let node = root;
  let span = spanOf(spans, root);
  let rest = path;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] ?? '';
    const next: unknown = Array.isArray(node)
      ? node[Number(segment)]
      : typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[String(segment)]
        : undefined;
    if (next === undefined) break;
    const nextSpan = spanOf(spans, next);
    if (!nextSpan) {
      // A scalar (or an unrecorded node): find its key inside the parent's lines.
      if (span && typeof segment === 'string') return keyLine(lines, span, segment) + 1;
      break;
    }
    node = next;
    span = nextSpan;
    rest = path.slice(i + 1);
  }
  void rest;
  if (node === root) return firstContentLine(lines, span?.open ?? 0) + 1;
  return (span?.open ?? 0) + 1;
}

/** The first line at or after `from` that holds content (not blank, a comment or a marker). */
function firstContentLine(lines: Lines, from: number): number {
  for (let l = from; l < lines.length; l++) {
    const t = lines.line(l).trim();
    if (t !== '' && !t.startsWith('#') && t !== '---' && !t.startsWith('%')) return l;
  }
  return from;
}

/**
 * `key:` at the start of a line (after indentation and an optional `- `), as a sticky pattern run
 * at each line's offset in the whole text; `[^\S\n]` where a per-line pattern would say `\s`, so
 * a match never runs into the next line. One pattern per key name.
 */
const keyPatterns = new Map<string, RegExp>();
function keyPattern(key: string): RegExp {
  let pattern = keyPatterns.get(key);
  if (!pattern) {
    const name = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`([^\\S\\n]*)(?:-[^\\S\\n]+)?["']?${name}["']?[^\\S\\n]*:`, 'y');
    keyPatterns.set(key, pattern);
  }
  return pattern;
}

/** The line of `key:` within a collection's span (the shallowest match), else the span's first line. */
function keyLine(lines: Lines, span: Span, key: string): number {
  if (key.includes('\n')) return span.open; // no line holds it
  const pattern = keyPattern(key);
  let best = -1;
  let bestIndent = Infinity;
  for (let l = span.open; l <= span.close && l < lines.length; l++) {
    pattern.lastIndex = lines.start(l);
    const match = pattern.exec(lines.text);
    if (match && (match[1]?.length ?? 0) < bestIndent) {
      best = l;
      bestIndent = match[1]?.length ?? 0;
    }
  }
  return best >= 0 ? best : span.open;
}
