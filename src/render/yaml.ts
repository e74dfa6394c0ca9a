/**
 * A small, fast YAML emitter for rendered objects (plain JSON data). Deterministic: keys keep
 * insertion order, strings are quoted whenever a YAML 1.1 or 1.2 reader could take them for
 * anything but a string (so kubectl, Helm and Argo CD all read the same values).
 */
import type { KubeObject } from '../kube/object.ts';

const PLAIN = /^[A-Za-z/][A-Za-z0-9_./-]*(?::[A-Za-z0-9_./-]+)*$/;
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|nan|inf)$/i;

function scalar(value: string): string {
  if (PLAIN.test(value) && !RESERVED.test(value)) return value;
  return JSON.stringify(value);
}

function isBlock(value: string): boolean {
  return (
    value.includes('\n') &&
    !value.endsWith('\n\n') &&
    !value.includes('\r') &&
    !/^[ \t]/.test(value) &&
    !hasControl(value)
  );
}

function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 32 && code !== 10 && code !== 9) || code === 127) return true;
  }
  return false;
}

function blockString(value: string, indent: string): string {
  const trailing = /\n+$/.exec(value)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : '';
  const body = trailing > 0 ? value.slice(0, value.length - 1) : value;
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  return `|${chomp}\n${lines.join('\n')}`;
}

const scalarCache = new Map<string, string>();

function cachedScalar(value: string): string {
  let out = scalarCache.get(value);
  if (out === undefined) {
    out = scalar(value);
    if (scalarCache.size < 50_000) scalarCache.set(value, out);
  }
  return out;
}

function isNonEmpty(v: unknown): v is object {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.length > 0;
  for (const _ in v) return true;
  return false;
}

/**
 * Appends a map at `indent` to `out`. The first line starts with `first` instead of `indent` (a
 * list item's "- "). Values that start on their own line (non-empty maps and lists) nest below.
 */
function emitMap(map: Record<string, unknown>, indent: string, first: string, out: string[]): void {
  let lead = first;
  const inner = indent + '  ';
  for (const k in map) {
    const v = map[k];
    if (v === undefined) continue;
    if (isNonEmpty(v)) {
      out.push(lead, cachedScalar(k), ':\n');
      if (Array.isArray(v)) emitList(v, indent, out);
      else emitMap(v as Record<string, unknown>, inner, inner, out);
    } else {
      out.push(lead, cachedScalar(k), ': ', inline(v, inner), '\n');
    }
    lead = indent;
  }
}

function emitList(list: readonly unknown[], indent: string, out: string[]): void {
  const inner = indent + '  ';
  const dash = indent + '- ';
  for (const item of list) {
    if (isNonEmpty(item) && !Array.isArray(item)) {
      emitMap(item as Record<string, unknown>, inner, dash, out);
    } else if (isNonEmpty(item)) {
      out.push(indent, '-\n');
      emitList(item as unknown[], inner, out);
    } else {
      out.push(dash, inline(item, inner), '\n');
    }
  }
}

function inline(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return isBlock(value) ? blockString(value, indent) : cachedScalar(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return '[]';
  return '{}';
}

/** One YAML document (no leading `---`), ending with a newline. */
export function toYamlDocument(value: unknown): string {
  const out: string[] = [];
  if (Array.isArray(value)) emitList(value, '', out);
  else emitMap(value as Record<string, unknown>, '', '', out);
  return out.join('');
}

/** A multi-document YAML stream, byte-identical for identical input. */
export function toYamlStream(objects: readonly KubeObject[]): string {
  if (objects.length === 0) return '';
  const docs: string[] = [];
  for (const o of objects) docs.push(toYamlDocument(o));
  return `---\n${docs.join('---\n')}`;
}
