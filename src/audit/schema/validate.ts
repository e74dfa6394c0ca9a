/**
 * A small structural validator for Kubernetes objects against compact OpenAPI schemas: required
 * fields, JSON types, enums, unknown fields (as `kubectl apply --validate=strict` rejects them),
 * int-or-string, and the CRD value constraints (pattern, minimum/maximum, lengths, item counts).
 * Pure and allocation-light: one walk over the object, no compilation step (ADR 0070).
 */
import type { PathSegment } from '../../yaml/stream.ts';
import type { CompactSchema, SchemaSet } from './types.ts';

export interface SchemaError {
  path: PathSegment[];
  message: string;
}

export interface ValidateOptions {
  /** Stop after this many errors in one object. @default 20 */
  maxErrors?: number;
  /** For definitions missing from `defs` (a lazily parsed set). @default none */
  loadDef?: SchemaSet['loadDef'];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'string'; // a YAML timestamp: a string on the wire
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'a mapping';
  return String(value);
}

const regexCache = new Map<string, RegExp | null>();
function regexOf(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch (error) {
      void error; // an RE2 construct JavaScript lacks: the constraint is not checked
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

/** For anyOf lists whose alternatives are each `{ type }` alone: those types (else null). */
const typeOnlyLists = new WeakMap<CompactSchema[], string[] | null>();
function typeOnly(alternatives: CompactSchema[]): string[] | null {
  let types = typeOnlyLists.get(alternatives);
  if (types === undefined) {
    types = alternatives.every((a) => typeof a.type === 'string' && Object.keys(a).length === 1)
      ? alternatives.map((a) => a.type as string)
      : null;
    typeOnlyLists.set(alternatives, types);
  }
  return types;
}

/** Values visited per object before giving up (an alias bomb expands to millions). */
export const maxVisitedValues = 200_000;

class Walker {
  readonly errors: SchemaError[] = [];
  private visited = 0;
  private stopped = false;
  constructor(
    private readonly defs: SchemaSet['defs'],
    private readonly maxErrors: number,
    private readonly loadDef?: SchemaSet['loadDef'],
  ) {}

  private add(path: PathSegment[], message: string): void {
    if (this.errors.length < this.maxErrors) this.errors.push({ path: [...path], message });
  }

  private resolve(schema: CompactSchema): CompactSchema {
    let s = schema;
    for (let hops = 0; s.ref !== undefined && hops < 8; hops++) {
      const target = this.defs[s.ref] ?? this.loadDef?.(s.ref);
      if (!target) return {};
      s = target;
    }
    return s;
  }

  /**
   * Whether `value` fits one of `alternatives`. Alternatives that only name a type (Quantity: a
   * string or a number) are compared by type, without a probe walker per value.
   */
  private fitsAny(
    value: unknown,
    actual: string,
    alternatives: CompactSchema[],
    path: PathSegment[],
  ): boolean {
    const types = typeOnly(alternatives);
    if (types) return types.some((type) => matchesType(type, actual));
    return alternatives.some((alt) => this.fits(value, alt, path));
  }

  /** Whether `value` fits `schema`, without recording errors (for anyOf). */
  private fits(value: unknown, schema: CompactSchema, path: PathSegment[]): boolean {
    const probe = new Walker(this.defs, 1, this.loadDef);
    probe.walk(value, schema, path);
    return probe.errors.length === 0;
  }

  walk(value: unknown, schemaIn: CompactSchema, path: PathSegment[]): void {
    if (this.stopped || this.errors.length >= this.maxErrors) return;
    if (++this.visited > maxVisitedValues) {
      this.errors.push({
        path: [],
        message: `too large to validate (more than ${maxVisitedValues} values: YAML aliases expanding?)`,
      });
      this.stopped = true;
      return;
    }
    const schema = this.resolve(schemaIn);
    // null is "unset" for the API server's decoder: accepted for any optional field.
    if (value === null || value === undefined) return;
    const actual = typeOf(value);
    if (schema.ios) {
      if (actual !== 'integer' && actual !== 'string')
        this.add(path, `must be an integer or a string, not ${show(value)}`);
      return;
    }
    if (schema.anyOf && !this.fitsAny(value, actual, schema.anyOf, path)) {
      const types = schema.anyOf.map((a) => this.resolve(a).type ?? 'a value').join(' or ');
      this.add(path, `must be ${types}, not ${show(value)}`);
      return;
    }
    if (schema.allOf) for (const part of schema.allOf) this.walk(value, part, path);
    if (schema.type !== undefined && !matchesType(schema.type, actual)) {
      this.add(path, `must be ${article(schema.type)}, not ${show(value)}`);
      return;
    }
    if (schema.enum && !schema.enum.includes(value as string))
      this.add(path, `must be one of ${schema.enum.join(', ')}, not ${show(value)}`);
    if (actual === 'string') this.checkString(value as string, schema, path);
    else if (actual === 'integer' || actual === 'number')
      this.checkNumber(value as number, schema, path);
    else if (actual === 'array') this.walkArray(value as unknown[], schema, path);
    else if (actual === 'object') this.walkObject(value as Record<string, unknown>, schema, path);
  }

  private checkString(value: string, schema: CompactSchema, path: PathSegment[]): void {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      this.add(path, `must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      this.add(path, `must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && regexOf(schema.pattern)?.test(value) === false)
      this.add(path, `must match ${schema.pattern}, not ${show(value)}`);
  }

  private checkNumber(value: number, schema: CompactSchema, path: PathSegment[]): void {
    if (schema.min !== undefined && value < schema.min)
      this.add(path, `must be at least ${schema.min}`);
    if (schema.max !== undefined && value > schema.max)
      this.add(path, `must be at most ${schema.max}`);
  }

  private walkArray(value: unknown[], schema: CompactSchema, path: PathSegment[]): void {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      this.add(
        path,
        `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`,
      );
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      this.add(path, `must have at most ${schema.maxItems} items`);
    if (!schema.items) return;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      this.walk(value[i], schema.items, path);
      path.pop();
    }
  }

  private walkObject(
    value: Record<string, unknown>,
    schema: CompactSchema,
    path: PathSegment[],
  ): void {
    if (schema.req)
      for (const key of schema.req) {
        if (value[key] === undefined || value[key] === null)
          this.add(path, `missing required field "${key}"`);
      }
    const props = schema.props;
    const closed = props !== undefined && !schema.open && !schema.addl && !schema.embedded;
    // for-in, not Object.keys: no array per object (the values are plain objects from YAML).
    for (const key in value) {
      const child = props?.[key] ?? schema.addl;
      path.push(key);
      if (child) this.walk(value[key], child, path);
      else if (closed) this.add(path, `unknown field "${key}"`);
      path.pop();
    }
  }
}

function article(type: string): string {
  const word = type === 'object' ? 'a mapping' : type === 'array' ? 'a list' : `a ${type}`;
  return type === 'integer' ? 'an integer' : word;
}

/** Errors of one object against its root schema (empty when it is valid). */
export function validateAgainst(
  value: unknown,
  root: CompactSchema,
  defs: SchemaSet['defs'],
  options: ValidateOptions = {},
): SchemaError[] {
  const walker = new Walker(defs, options.maxErrors ?? 20, options.loadDef);
  walker.walk(value, root, []);
  return walker.errors;
}
