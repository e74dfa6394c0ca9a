/**
 * The shipped schema tables as the build packs them (ADR 0130, 0165): the same `SchemaSet`, with
 * every definition kept as its JSON text and parsed on first access. An audit touches the kinds
 * in its input and the definitions they reach (a Deployment: ~35 of the table's ~215 KB), so the
 * rest is never turned into objects. Pure: text in, data out.
 *
 * Packed form: one line of JSON, `{"source": "...", "kinds": {"apps/v1 Deployment": {...}, ...},
 * "defs": {"io.k8s.api.core.v1.PodSpec": [start, end], ...}}`, then a newline and the definitions'
 * JSON texts one after the other; `start` and `end` are offsets into that tail. Reading it parses
 * the first line (~30 KB), not the whole table: the definitions' texts are never copied out of
 * escaped JSON strings, nor allocated one by one (scripts/build.mjs writes it).
 */
import type { CompactSchema, SchemaSet } from './types.ts';

interface PackedHead {
  source: string;
  kinds: Record<string, CompactSchema>;
  defs: Record<string, [number, number]>;
}

/** The packed text of a schema set (the build's transformation, here for tests and tools). */
export function packSchemaSet(set: SchemaSet): string {
  const defs: Record<string, [number, number]> = {};
  const texts: string[] = [];
  let end = 0;
  for (const [name, schema] of Object.entries(set.defs)) {
    const text = JSON.stringify(schema);
    defs[name] = [end, end + text.length];
    end += text.length;
    texts.push(text);
  }
  return `${JSON.stringify({ source: set.source, kinds: set.kinds, defs })}\n${texts.join('')}`;
}

/**
 * Reads a packed schema set (see the file comment): the kinds at once, each definition when the
 * validator first asks for it (`loadDef`, which adds it to `defs`). Plain data properties only:
 * per-entry getters were measured slower than parsing the whole table.
 */
export function lazySchemaSet(packed: string): SchemaSet {
  const newline = packed.indexOf('\n');
  const head = JSON.parse(packed.slice(0, newline)) as PackedHead;
  const defs = Object.create(null) as Record<string, CompactSchema>;
  const offsets = head.defs;
  const tail = newline + 1;
  const loadDef = (name: string): CompactSchema | undefined => {
    const range = Object.hasOwn(offsets, name) ? offsets[name] : undefined;
    if (range === undefined) return undefined;
    const value = JSON.parse(packed.slice(tail + range[0], tail + range[1])) as CompactSchema;
    defs[name] = value;
    return value;
  };
  return { source: head.source, kinds: head.kinds, defs, loadDef };
}
