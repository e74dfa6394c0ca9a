/**
 * The line spans of a YAML stream's collections, shared by both fast readers (ADR 0130, 0160):
 * `index` maps a mapping or sequence to its slot in `open` (0-based line where it starts; for a
 * block collection its parent key's line) and `close` (0-based line where the reader left it: the
 * next line with content, or the line after the last). Plain numbers in typed arrays, not an
 * object per collection.
 */
export interface Spans {
  index: Map<object, number>;
  open: Int32Array;
  close: Int32Array;
}

export interface Span {
  open: number;
  close: number;
}

export function newSpans(): Spans {
  return { index: new Map(), open: new Int32Array(64), close: new Int32Array(64) };
}

const grow = (a: Int32Array): Int32Array => {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
};

/** Records a collection's span; the first record of a node wins (an alias closes it again). */
export function addSpan(spans: Spans, node: object, open: number, close: number): void {
  if (!spans.index.has(node)) addNewSpan(spans, node, open, close);
}

/** Records the span of a collection not recorded yet (the block reader's: it makes each once). */
export function addNewSpan(spans: Spans, node: object, open: number, close: number): void {
  const i = spans.index.size;
  if (i === spans.open.length) {
    spans.open = grow(spans.open);
    spans.close = grow(spans.close);
  }
  spans.index.set(node, i);
  spans.open[i] = open;
  spans.close[i] = close;
}

export function spanOf(spans: Spans, node: unknown): Span | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const i = spans.index.get(node);
  return i === undefined ? undefined : { open: spans.open[i] ?? 0, close: spans.close[i] ?? 0 };
}
