/**
 * A small JSON path: `$.a.b[0].c`, `a.b.0.c`, `$['a-b'].c`. Enough to point at one number in an
 * HTTP answer; no wildcards or filters (a depth is one number).
 */

export type PathSegment = string | number;

/** Parses a path into segments; throws with the position of the first bad character. */
export function parseJsonPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const bare = path.startsWith('$') ? path.slice(1) : path;
  const text = bare === '' || bare.startsWith('.') || bare.startsWith('[') ? bare : `.${bare}`;
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`JSON path "${path}": ${what} at character ${i + 1}`);
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      i++;
      const start = i;
      while (i < text.length && text[i] !== '.' && text[i] !== '[') i++;
      if (i === start) fail('empty name');
      const name = text.slice(start, i);
      segments.push(/^\d+$/.test(name) ? Number(name) : name);
    } else if (ch === '[') {
      const end = text.indexOf(']', i);
      if (end === -1) fail('unclosed [');
      const inner = text.slice(i + 1, end).trim();
      const quoted = /^(['"])(.*)\1$/.exec(inner);
      if (quoted) segments.push(quoted[2] ?? '');
      else if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else fail('expected an index or a quoted name');
      i = end + 1;
    } else {
      fail(`unexpected "${ch}"`);
    }
  }
  return segments;
}

/** The value at `path` in `data`, or undefined when any step is missing. */
export function valueAt(data: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = data;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/** Reads a depth from a JSON value: a finite non-negative number, or a string holding one. */
export function depthOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}
