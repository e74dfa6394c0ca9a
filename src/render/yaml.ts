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

function key(k: string): string {
  return scalar(k);
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

function emit(value: unknown, indent: string, out: string[]): void {
  // Called for values that start on their own line (maps and non-empty lists).
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (
        item !== null &&
        typeof item === 'object' &&
        !Array.isArray(item) &&
        Object.keys(item).length > 0
      ) {
        const lines: string[] = [];
        emit(item, indent + '  ', lines);
        const first = lines[0] ?? '';
        out.push(`${indent}- ${first.slice(indent.length + 2)}`, ...lines.slice(1));
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${indent}-`);
        emit(item, indent + '  ', out);
      } else {
        out.push(`${indent}- ${inline(item, indent + '  ')}`);
      }
    }
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (
      v !== null &&
      typeof v === 'object' &&
      (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)
    ) {
      out.push(`${indent}${key(k)}:`);
      emit(v, Array.isArray(v) ? indent : indent + '  ', out);
    } else {
      out.push(`${indent}${key(k)}: ${inline(v, indent + '  ')}`);
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

/** One YAML document (no leading `---`), ending with a newline. */
export function toYamlDocument(value: unknown): string {
  const out: string[] = [];
  emit(value, '', out);
  return `${out.join('\n')}\n`;
}

/** A multi-document YAML stream, byte-identical for identical input. */
export function toYamlStream(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${toYamlDocument(o)}`).join('');
}
