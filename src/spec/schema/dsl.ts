/**
 * The one source of truth for the spec's shape. Each field is declared once with its type,
 * description and default; from that declaration come the TypeScript types (`Infer`), the
 * validator (`validate/structural.ts`), the JSON Schema (`berth schema`) and docs/spec.md.
 */

/** Value formats checked beyond the JSON type (see validate/formats.ts). */
export const Format = {
  name: 'name',
  cpu: 'cpu',
  bytes: 'bytes',
  image: 'image',
  cron: 'cron',
  duration: 'duration',
  cidr: 'cidr',
  hostname: 'hostname',
  absolutePath: 'absolute-path',
  url: 'url',
} as const;
export type Format = (typeof Format)[keyof typeof Format];

interface Common {
  description: string;
  /** The value used when the field is absent. */
  default?: unknown;
  /** For optional fields without a default: what absence means (documented as the default). */
  absent?: string;
}

export type Node =
  | (Common & { type: 'string'; format?: Format; enum?: readonly string[] })
  | (Common & { type: 'integer'; minimum?: number; maximum?: number })
  | (Common & { type: 'boolean' })
  | (Common & { type: 'int-or-string' })
  | (Common & { type: 'any' })
  | (Common & { type: 'array'; items: Field; minItems?: number; uniqueBy?: string })
  | (Common & { type: 'map'; values: Field; keyFormat?: 'env' | 'label' | 'absolute-path' })
  | (Common & { type: 'object'; fields: Record<string, Field>; exactlyOne?: readonly string[] });

/** A field: a node plus whether it may be absent after defaults (then `absent` says what that means). */
export interface Field<T = unknown, O extends boolean = boolean> {
  node: Node;
  optional: O;
  /** Phantom: the TypeScript type of the validated value. */
  readonly __type?: T;
}

type Opts = { description: string; default?: unknown };
type OptionalOpts = { description: string; absent: string };

function field<T>(node: Node): Field<T, false> {
  return { node, optional: false };
}

/** Makes a field optional: absent stays absent; `absent` documents what that means. */
export function optional<T>(f: Field<T, boolean>, absent: string): Field<T, true> {
  return { node: { ...f.node, absent }, optional: true };
}

export function str<const E extends readonly string[] = readonly string[]>(
  opts: Opts & { format?: Format; enum?: E },
): Field<E extends readonly [string, ...string[]] ? E[number] : string, false> {
  return field({ type: 'string', ...opts });
}

export function int(opts: Opts & { minimum?: number; maximum?: number }): Field<number, false> {
  return field({ type: 'integer', ...opts });
}

export function bool(opts: Opts): Field<boolean, false> {
  return field({ type: 'boolean', ...opts });
}

export function intOrString(opts: Opts): Field<number | string, false> {
  return field({ type: 'int-or-string', ...opts });
}

/** Any YAML value, checked elsewhere (workflow task params are checked against each task's schema). */
export function any(opts: Opts): Field<unknown, false> {
  return field({ type: 'any', ...opts });
}

export function arr<T>(
  items: Field<T, boolean>,
  opts: Opts & { minItems?: number; uniqueBy?: string },
): Field<T[], false> {
  return field({ type: 'array', items, ...opts });
}

export function map<T>(
  values: Field<T, boolean>,
  opts: Opts & { keyFormat?: 'env' | 'label' | 'absolute-path' },
): Field<Record<string, T>, false> {
  return field({ type: 'map', values, ...opts });
}

type Fields = Record<string, Field<unknown, boolean>>;
type Out<F> = F extends Field<infer T, boolean> ? T : never;
type RequiredKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends Field<unknown, true> ? never : K;
}[keyof F];
type OptionalKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends Field<unknown, true> ? K : never;
}[keyof F];
export type ObjectOf<F extends Fields> = { [K in RequiredKeys<F>]: Out<F[K]> } & {
  [K in OptionalKeys<F>]?: Out<F[K]>;
};

export function obj<F extends Fields>(
  fields: F,
  opts: Opts & { exactlyOne?: readonly (keyof F & string)[] },
): Field<ObjectOf<F>, false> {
  return field({ type: 'object', fields, ...opts });
}

/** The TypeScript type a field validates to. */
export type Infer<F> = F extends Field<infer T, boolean> ? T : never;

export type { OptionalOpts };
