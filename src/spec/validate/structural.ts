/**
 * The schema-driven validator: walks a parsed document against a `Field`, reports every problem
 * with its file:line:column and field path, and returns the value with defaults applied.
 */
import type { Diagnostic } from '../../errors.ts';
import { formatPath, positionOf, type PathSegment, type YamlDocument } from '../../yaml/stream.ts';
import type { Field, Node } from '../schema/dsl.ts';
import { checkFormat } from './formats.ts';

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly doc: YamlDocument) {}

  report(path: readonly PathSegment[], message: string, hint?: string, key = false): void {
    const d: Diagnostic = {
      position: positionOf(this.doc, path, { key }),
      path: formatPath(path),
      message,
    };
    if (hint !== undefined) d.hint = hint;
    this.diagnostics.push(d);
  }
}

/** Validates `value` at `path` against `field`; returns the defaulted value (undefined when invalid). */
export function validateField(
  field: Field,
  value: unknown,
  path: PathSegment[],
  r: Reporter,
): unknown {
  const node = field.node;
  if (value === undefined || value === null) {
    if (node.default !== undefined) return cloneDefault(node.default);
    if (field.optional) return undefined;
    if (node.type === 'object' && !hasRequired(node)) return validateNode(node, {}, path, r);
    const last = path[path.length - 1];
    r.report(
      path,
      `missing required field "${String(last)}"`,
      `add ${String(last)}: ${node.description}`,
    );
    return undefined;
  }
  return validateNode(node, value, path, r);
}

/** A copy of a default value (plain JSON data), so callers may change what they get. */
function cloneDefault(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneDefault);
  const out: Record<string, unknown> = {};
  for (const k in value) out[k] = cloneDefault((value as Record<string, unknown>)[k]);
  return out;
}

/** Each object node's fields as entries, computed once per schema node. */
const fieldEntries = new WeakMap<object, [string, Field][]>();
function entriesOf(fields: Record<string, Field>): [string, Field][] {
  let entries = fieldEntries.get(fields);
  if (!entries) {
    entries = Object.entries(fields);
    fieldEntries.set(fields, entries);
  }
  return entries;
}

function hasRequired(node: Node): boolean {
  if (node.type !== 'object') return false;
  return Object.values(node.fields).some(
    (f) =>
      !f.optional &&
      f.node.default === undefined &&
      (f.node.type !== 'object' || hasRequired(f.node)),
  );
}

function validateNode(node: Node, value: unknown, path: PathSegment[], r: Reporter): unknown {
  switch (node.type) {
    case 'string':
      return validateString(node, value, path, r);
    case 'integer':
      return validateInteger(node, value, path, r);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return typeError(r, path, 'true or false', value);
    case 'int-or-string':
      if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))
        return value;
      return typeError(r, path, 'a port name or number', value);
    case 'any':
      return value;
    case 'array':
      return validateArray(node, value, path, r);
    case 'map':
      return validateMap(node, value, path, r);
    case 'object':
      return validateObject(node, value, path, r);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string "${value}"`;
  return typeof value === 'number' || typeof value === 'boolean'
    ? `${typeof value} ${value}`
    : typeof value;
}

function typeError(r: Reporter, path: PathSegment[], expected: string, value: unknown): undefined {
  r.report(path, `expected ${expected}, got ${describe(value)}`);
  return undefined;
}

function validateString(
  node: Extract<Node, { type: 'string' }>,
  value: unknown,
  path: PathSegment[],
  r: Reporter,
) {
  if (typeof value !== 'string') {
    if (
      typeof value === 'number' &&
      node.enum === undefined &&
      node.format !== undefined &&
      ['cpu', 'bytes'].includes(node.format)
    ) {
      value = String(value);
    } else {
      return typeError(r, path, 'a string', value);
    }
  }
  const text = value as string;
  if (node.enum && !node.enum.includes(text)) {
    r.report(
      path,
      `must be one of ${node.enum.map((e) => (e === '' ? '""' : e)).join(', ')} (got "${text}")`,
    );
    return undefined;
  }
  if (node.format) {
    const problem = checkFormat(node.format, text);
    if (problem) {
      r.report(path, problem.message, problem.hint);
      return undefined;
    }
  }
  return text;
}

function validateInteger(
  node: Extract<Node, { type: 'integer' }>,
  value: unknown,
  path: PathSegment[],
  r: Reporter,
) {
  if (typeof value !== 'number' || !Number.isInteger(value))
    return typeError(r, path, 'an integer', value);
  if (node.minimum !== undefined && value < node.minimum) {
    r.report(path, `must be at least ${node.minimum} (got ${value})`);
    return undefined;
  }
  if (node.maximum !== undefined && value > node.maximum) {
    r.report(path, `must be at most ${node.maximum} (got ${value})`);
    return undefined;
  }
  return value;
}

function validateArray(
  node: Extract<Node, { type: 'array' }>,
  value: unknown,
  path: PathSegment[],
  r: Reporter,
) {
  if (!Array.isArray(value)) return typeError(r, path, 'a list', value);
  if (node.minItems !== undefined && value.length < node.minItems) {
    r.report(path, `needs at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
  }
  const out = value.map((item, i) => validateField(node.items, item, [...path, i], r));
  if (node.uniqueBy) {
    const key = node.uniqueBy;
    const seen = new Map<string, number>();
    out.forEach((item, i) => {
      const k = (item as Record<string, unknown> | undefined)?.[key];
      if (typeof k !== 'string') return;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else {
        const at = positionOf(r.doc, [...path, first, key]);
        r.report([...path, i, key], `duplicate ${key} "${k}"`, `also declared at line ${at.line}`);
      }
    });
  }
  return out;
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function validateMap(
  node: Extract<Node, { type: 'map' }>,
  value: unknown,
  path: PathSegment[],
  r: Reporter,
) {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return typeError(r, path, 'a map', value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const bad =
      (node.keyFormat === 'env' && !ENV_KEY.test(k)) ||
      (node.keyFormat === 'label' && !LABEL_KEY.test(k)) ||
      (node.keyFormat === 'absolute-path' && !k.startsWith('/'));
    if (bad) {
      const hint =
        node.keyFormat === 'env'
          ? 'variable names are letters, digits and "_", not starting with a digit'
          : node.keyFormat === 'label'
            ? 'use a Kubernetes label key such as berth.dev/pool'
            : 'use an absolute file path such as /opt/seed/config.yaml';
      r.report([...path, k], `invalid key "${k}"`, hint, true);
      continue;
    }
    out[k] = validateField(node.values, v, [...path, k], r);
  }
  return out;
}

function validateObject(
  node: Extract<Node, { type: 'object' }>,
  value: unknown,
  path: PathSegment[],
  r: Reporter,
) {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return typeError(r, path, 'a map', value);
  const input = value as Record<string, unknown>;
  for (const k in input) {
    if (!Object.hasOwn(node.fields, k))
      r.report([...path, k], `unknown field "${k}"`, suggest(k, Object.keys(node.fields)), true);
  }
  const out: Record<string, unknown> = {};
  for (const [k, f] of entriesOf(node.fields)) {
    const given = input[k];
    // An absent field with a default needs no path (nothing to report): the common case.
    const v =
      (given === undefined || given === null) && f.node.default !== undefined
        ? cloneDefault(f.node.default)
        : validateField(f, given, [...path, k], r);
    if (v !== undefined) out[k] = v;
  }
  if (node.exactlyOne) {
    const set = node.exactlyOne.filter((k) => input[k] !== undefined);
    if (set.length !== 1)
      r.report(
        path,
        `set exactly one of ${node.exactlyOne.join(', ')}${set.length > 1 ? ` (found ${set.join(', ')})` : ''}`,
      );
  }
  return out;
}

function suggest(key: string, known: string[]): string {
  const close = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .filter((c) => c.d <= Math.max(2, Math.floor(key.length / 3)))
    .sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : 1))[0];
  return close ? `did you mean "${close.k}"?` : `known fields: ${known.join(', ')}`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min(
        (row[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}
