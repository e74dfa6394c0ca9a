/**
 * A fast path for reading Kubernetes YAML: js-yaml builds the values (several times faster than
 * the `yaml` library's document model, which audit only needs for fixes), and its parse-event
 * listener records the line span of every mapping and sequence. A field's line is then the line
 * of its nearest enclosing collection, refined by finding the key inside that collection's lines.
 * Any parse error falls back to `parseYamlStream`, which reports every error with its position.
 * See docs/adr/0041-js-yaml-fast-path.md.
 */
import jsyaml from 'js-yaml';
import type { PathSegment } from '../yaml/stream.ts';

interface Span {
  /** 0-based line where the node starts (for a block collection: its parent key's line). */
  open: number;
  /** 0-based line where the node ends. */
  close: number;
}

export interface FastDocument {
  index: number;
  value: unknown;
  /** 1-based line of the field at `path`, or of its nearest existing ancestor. */
  lineOf: (path: readonly PathSegment[]) => number;
}

/**
 * YAML 1.2 core schema (as the `yaml` library reads it: `2026-01-01` stays a string) plus merge
 * keys (`<<: *base`), which Kubernetes' own YAML reader resolves.
 */
const merge = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge;
const schema = jsyaml.CORE_SCHEMA.extend({ implicit: [merge] });

/** Parses a multi-document stream, or returns undefined when it has a syntax error. */
export function parseFast(text: string): FastDocument[] | undefined {
  const spans = new WeakMap<object, Span>();
  const stack: number[] = [];
  const listener = (event: 'open' | 'close', state: jsyaml.State): void => {
    if (event === 'open') {
      stack.push(state.line);
      return;
    }
    const open = stack.pop() ?? 0;
    const result: unknown = state.result;
    if (typeof result === 'object' && result !== null && !spans.has(result))
      spans.set(result, { open, close: state.line });
  };
  let values: unknown[];
  try {
    values = jsyaml.loadAll(text, null, { listener, schema });
  } catch (error) {
    if (error instanceof jsyaml.YAMLException) return undefined;
    throw error;
  }
  let lines: string[] | undefined;
  const textLines = (): string[] => (lines ??= text.split('\n'));
  return values.map((value, index) => ({
    index,
    value,
    lineOf: (path) => locate(value, path, spans, textLines),
  }));
}

function locate(
  root: unknown,
  path: readonly PathSegment[],
  spans: WeakMap<object, Span>,
  lines: () => string[],
): number {
  let node = root;
  let span = typeof root === 'object' && root !== null ? spans.get(root) : undefined;
  let rest = path;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] ?? '';
    const next: unknown = Array.isArray(node)
      ? node[Number(segment)]
      : typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[String(segment)]
        : undefined;
    if (next === undefined) break;
    const nextSpan = typeof next === 'object' && next !== null ? spans.get(next) : undefined;
    if (!nextSpan) {
      // A scalar (or an unrecorded node): find its key inside the parent's lines.
      if (span && typeof segment === 'string') return keyLine(lines(), span, segment) + 1;
      break;
    }
    node = next;
    span = nextSpan;
    rest = path.slice(i + 1);
  }
  void rest;
  if (node === root) return firstContentLine(lines(), span?.open ?? 0) + 1;
  return (span?.open ?? 0) + 1;
}

/** The first line at or after `from` that holds content (not blank, a comment or a marker). */
function firstContentLine(lines: readonly string[], from: number): number {
  for (let l = from; l < lines.length; l++) {
    const t = (lines[l] ?? '').trim();
    if (t !== '' && !t.startsWith('#') && t !== '---' && !t.startsWith('%')) return l;
  }
  return from;
}

/** The line of `key:` within a collection's span (the shallowest match), else the span's first line. */
function keyLine(lines: readonly string[], span: Span, key: string): number {
  const pattern = new RegExp(
    `^(\\s*)(?:-\\s+)?["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`,
  );
  let best = -1;
  let bestIndent = Infinity;
  for (let l = span.open; l <= span.close && l < lines.length; l++) {
    const match = pattern.exec(lines[l] ?? '');
    if (match && (match[1]?.length ?? 0) < bestIndent) {
      best = l;
      bestIndent = match[1]?.length ?? 0;
    }
  }
  return best >= 0 ? best : span.open;
}
