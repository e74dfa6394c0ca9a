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

/**
 * Reads a packed schema set (see the file comment): the kinds (small references) at once, each
 * definition when the validator first asks for it (`loadDef`, which adds it to `defs`). Plain
 * data properties only: per-entry getters were measured slower than parsing the whole table.
 */
export function lazySchemaSet(packed: string): SchemaSet {
  const set = JSON.parse(packed) as PackedSchemaSet;
  const kinds: Record<string, CompactSchema> = {};
  for (const [name, text] of Object.entries(set.kinds))
    kinds[name] = JSON.parse(text) as CompactSchema;
  const defs = Object.create(null) as Record<string, CompactSchema>;
  const texts = set.defs;
  const loadDef = (name: string): CompactSchema | undefined => {
    const text = Object.hasOwn(texts, name) ? texts[name] : undefined;
    if (text === undefined) return undefined;
    const value = JSON.parse(text) as CompactSchema;
    defs[name] = value;
    return value;
  };
  return { source: set.source, kinds, defs, loadDef };
}
