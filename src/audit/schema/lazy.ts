/**
 * The shipped schema tables as the build packs them (ADR 0130): the same `SchemaSet`, with every
 * kind and definition kept as its JSON text and parsed on first access. An audit touches the
 * kinds in its input and the definitions they reach (a Deployment: ~35 of the table's ~215 KB),
 * so the rest is never turned into objects. Pure: text in, data out.
 *
 * Packed form: `{"source": "...", "kinds": {"apps/v1 Deployment": "<JSON text>", ...},
 * "defs": {"io.k8s.api.core.v1.PodSpec": "<JSON text>", ...}}` (scripts/build.mjs writes it).
 */
import type { CompactSchema, SchemaSet } from './types.ts';

interface PackedSchemaSet {
  source: string;
  kinds: Record<string, string>;
  defs: Record<string, string>;
}

/** The packed text of a schema set (the build's transformation, here for tests and tools). */
export function packSchemaSet(set: SchemaSet): string {
  const texts = (table: Record<string, CompactSchema>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(table).map(([name, schema]) => [name, JSON.stringify(schema)]),
    );
  return JSON.stringify({ source: set.source, kinds: texts(set.kinds), defs: texts(set.defs) });
}

/** A table whose entries parse their JSON text on first read (then stay plain data properties). */
function lazyTable(texts: Record<string, string>): Record<string, CompactSchema> {
  const table: Record<string, CompactSchema> = {};
  for (const name of Object.keys(texts)) {
    Object.defineProperty(table, name, {
      configurable: true,
      enumerable: true,
      get(): CompactSchema {
        const value = JSON.parse(texts[name] ?? 'null') as CompactSchema;
        Object.defineProperty(table, name, { value, enumerable: true, writable: false });
        return value;
      },
    });
  }
  return table;
}

/** Reads a packed schema set (see the file comment). */
export function lazySchemaSet(packed: string): SchemaSet {
  const set = JSON.parse(packed) as PackedSchemaSet;
  return { source: set.source, kinds: lazyTable(set.kinds), defs: lazyTable(set.defs) };
}
