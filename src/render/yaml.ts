/**
 * A small, fast YAML emitter for rendered objects (plain JSON data). Deterministic: keys keep
 * insertion order, strings are quoted whenever a YAML 1.1 or 1.2 reader could take them for
 * anything but a string (so kubectl, Helm and Argo CD all read the same values).
 */
import type { KubeObject } from '../model/object.ts';

const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|nan|inf)$/i;

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

/**
 * Whether a string can be written plain: it matches `^[A-Za-z/][A-Za-z0-9_./-]*(:[A-Za-z0-9_./-]+)*$`
 * (checked by a character scan, faster than the regular expression) and is no YAML keyword.
 */
function isPlain(value: string): boolean {
  const n = value.length;
  if (n === 0) return false;
  const c0 = value.charCodeAt(0);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 47)) return false;
  let prevColon = false;
  for (let i = 1; i < n; i++) {
    const c = value.charCodeAt(i);
    const word =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 95 ||
      c === 46 ||
      c === 47 ||
      c === 45;
    if (word) prevColon = false;
    else if (c === 58 && !prevColon) prevColon = true;
    else return false;
  }
  return !prevColon && (n > 5 || !RESERVED.test(value));
}

function scalar(value: string): string {
  return isPlain(value) ? value : JSON.stringify(value);
}

/**
 * The written form of every map key seen in one stream: rendered objects repeat the same few
 * hundred keys thousands of times, and keys are interned strings, so a lookup is cheap.
 */
type KeyCache = Map<string, string>;

function key(keys: KeyCache, k: string): string {
  let written = keys.get(k);
  if (written === undefined) {
    written = scalar(k);
    keys.set(k, written);
  }
  return written;
}

/**
 * Appends a map at `indent` to `out`. The first line starts with `first` instead of `indent` (a
 * list item's "- "). Values that start on their own line (non-empty maps and lists) nest below.
 * Returns whether the map has any key (an empty map is written inline as `{}` by the caller).
 */
function emitMap(
  map: Record<string, unknown>,
  indent: string,
  first: string,
  out: string[],
  keys: KeyCache,
): boolean {
  let lead = first;
  let hasKeys = false;
  const inner = indent + '  ';
  for (const k in map) {
    hasKeys = true;
    const v = map[k];
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length > 0) {
      out.push(lead, key(keys, k), ':\n');
      emitList(v, indent, out, keys);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const header = out.push(lead, key(keys, k), ':\n') - 1;
      if (!emitMap(v as Record<string, unknown>, inner, inner, out, keys)) out[header] = ': {}\n';
    } else {
      out.push(lead, key(keys, k), ': ', inline(v, inner), '\n');
    }
    lead = indent;
  }
  return hasKeys;
}

function emitList(list: readonly unknown[], indent: string, out: string[], keys: KeyCache): void {
  const inner = indent + '  ';
  const dash = indent + '- ';
  for (const item of list) {
    if (Array.isArray(item)) {
      if (item.length === 0) out.push(dash, '[]\n');
      else {
        out.push(indent, '-\n');
        emitList(item, inner, out, keys);
      }
    } else if (item !== null && typeof item === 'object') {
      if (!emitMap(item as Record<string, unknown>, inner, dash, out, keys)) out.push(dash, '{}\n');
    } else {
      out.push(dash, inline(item, inner), '\n');
    }
  }
}

function inline(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return isBlock(value) ? blockString(value, indent) : scalar(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return '[]';
  return '{}';
}

function emitDocument(value: unknown, keys: KeyCache): string {
  const out: string[] = [];
  if (Array.isArray(value)) emitList(value, '', out, keys);
  else emitMap(value as Record<string, unknown>, '', '', out, keys);
  return out.join('');
}

/** One YAML document (no leading `---`), ending with a newline. */
export function toYamlDocument(value: unknown): string {
  return emitDocument(value, new Map());
}

/** A multi-document YAML stream, byte-identical for identical input. */
export function toYamlStream(objects: readonly KubeObject[]): string {
  if (objects.length === 0) return '';
  const keys: KeyCache = new Map();
  const docs: string[] = [];
  for (const o of objects) docs.push(emitDocument(o, keys));
  return `---\n${docs.join('---\n')}`;
}
