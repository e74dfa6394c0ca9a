/**
 * Expressions: CEL (ADR 0096) through `@marcbachmann/cel-js`, for `when`, the `evaluate` task and
 * `${...}` interpolation in params. Pure. Integers cross into CEL as `int` (BigInt) and come back
 * as numbers, so `replicas: ${scale_to}` stays a number.
 */
import { Environment } from '@marcbachmann/cel-js';

/** A value an expression sees: plain JSON-like data. */
export type Scope = Readonly<Record<string, unknown>>;

/** An expression that failed to parse, type-check or evaluate; `offset` is into the expression. */
export class ExpressionError extends Error {
  readonly offset: number | undefined;
  constructor(message: string, offset?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExpressionError';
    this.offset = offset;
  }
}

/** Functions berth adds to standard CEL (CEL has no min/max over ints without extensions). */
const extraFunctions = ['least(int, int): int', 'greatest(int, int): int'] as const;

function environment(names: readonly string[]): Environment {
  let env = new Environment({ homogeneousAggregateLiterals: false })
    .registerFunction(extraFunctions[0], (a: bigint, b: bigint) => (a < b ? a : b))
    .registerFunction(extraFunctions[1], (a: bigint, b: bigint) => (a > b ? a : b));
  for (const name of new Set(names)) env = env.registerVariable(name, 'dyn');
  return env;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function offsetOf(error: unknown): number | undefined {
  const e = error as { range?: { start: number }; node?: { pos?: number } };
  return e.range?.start ?? e.node?.pos;
}

/**
 * Checks `expression` against the names it may use: syntax, unknown names, obvious type errors.
 * Returns undefined when it is fine.
 */
export function checkExpression(
  expression: string,
  names: readonly string[],
): ExpressionError | undefined {
  const env = environment(names);
  try {
    const result = env.check(expression);
    if (result.valid) return undefined;
    return new ExpressionError(
      firstLine(result.error?.message ?? 'invalid expression'),
      offsetOf(result.error),
    );
  } catch (error) {
    return new ExpressionError(firstLine((error as Error).message), offsetOf(error), {
      cause: error,
    });
  }
}

/** The identifiers an expression mentions (a superset of the variables it reads). */
export function identifiersOf(expression: string): string[] {
  const out = new Set<string>();
  try {
    const parsed = environment([]).parse(expression);
    walk(parsed.ast, out);
  } catch {
    // Unparsable: checkExpression reports it; no identifiers to add.
    return [];
  }
  return [...out];
}

function walk(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, out);
    return;
  }
  if (typeof node !== 'object' || node === null || !('op' in node)) return;
  const n = node as { op: string; args: unknown };
  if (n.op === 'id' && typeof n.args === 'string') out.add(n.args);
  else walk(n.args, out);
}

/** `steps.<name>` member accesses, for implicit dependencies. */
export function stepReferencesOf(expression: string): string[] {
  return [...expression.matchAll(/\bsteps\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)/g)].map(
    (m) => m[1] ?? '',
  );
}

/** Evaluates `expression` over `scope`; throws ExpressionError. */
export function evaluateExpression(expression: string, scope: Scope): unknown {
  const env = environment(Object.keys(scope));
  try {
    return fromCel(env.evaluate(expression, toCel(scope) as Record<string, unknown>));
  } catch (error) {
    throw new ExpressionError(firstLine((error as Error).message), offsetOf(error), {
      cause: error,
    });
  }
}

/** Evaluates a condition; anything but a boolean is an error (CEL has no truthiness). */
export function evaluateCondition(expression: string, scope: Scope): boolean {
  const value = evaluateExpression(expression, scope);
  if (typeof value !== 'boolean')
    throw new ExpressionError(`condition must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map)
    return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), fromCel(v)]));
  if (typeof value === 'object' && value !== null && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** The `${...}` expressions in a string. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? '').trim());
}

/** True when a value (deeply) contains a `${...}` placeholder. */
export function hasPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && /\$\{[^}]*\}/.test(value);
}

/**
 * Replaces every `${expr}` in strings, deeply. A string that is exactly one placeholder takes the
 * value's own type (`"${scale_to}"` → 5); inside a longer string the value is printed.
 */
export function interpolate(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]*)\}$/.exec(value);
    if (whole) return evaluateExpression((whole[1] ?? '').trim(), scope);
    return value.replace(PLACEHOLDER, (_, expr: string) => {
      const v = evaluateExpression(expr.trim(), scope);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, scope));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, scope)]));
  }
  return value;
}

/** Every expression inside a params value, with the path of the string that holds it. */
export function expressionsIn(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; expression: string }[] {
  if (typeof value === 'string')
    return placeholdersOf(value).map((expression) => ({ path, expression }));
  if (Array.isArray(value)) return value.flatMap((v, i) => expressionsIn(v, [...path, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => expressionsIn(v, [...path, k]));
  return [];
}
