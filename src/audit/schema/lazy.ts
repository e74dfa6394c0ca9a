/**
 * The shipped schema tables as the build packs them (ADR 0130, 0165): the same `SchemaSet`, with
 * every definition kept as its JSON text and parsed on first access. An audit touches the kinds
 * in its input and the definitions they reach (a Deployment: ~35 of the table's ~215 KB), so the
 * rest is never turned into objects. Pure: text in, data out.
 *
 * Packed form, three parts: a line of JSON, `{"source": "...", "kinds": {"apps/v1 Deployment":
 * {...}, ...}}`; then one line per definition, `<name> <start> <end>`, and an empty line; then
 * the definitions' JSON texts one after the other (`start` and `end` are offsets into this
 * tail, which has no newline: JSON.stringify escapes them). A start parses the kinds only; a
 * definition is found by searching its line, and parsed from its slice of the tail. Nothing is
 * unescaped or allocated for the definitions an audit never reaches (scripts/build.mjs writes
 * the same form).
 */
import type { CompactSchema, SchemaSet } from './types.ts';

interface PackedHead {
  source: string;
  kinds: Record<string, CompactSchema>;
}

/** The packed text of a schema set (the build's transformation, here for tests and tools). */
export function packSchemaSet(set: SchemaSet): string {
  const lines: string[] = [];
  const texts: string[] = [];
  let end = 0;
  for (const [name, schema] of Object.entries(set.defs)) {
    if (!/^\S+$/.test(name)) throw new Error(`schema definition name ${JSON.stringify(name)}`);
    const text = JSON.stringify(schema);
    lines.push(`${name} ${end} ${end + text.length}\n`);
    end += text.length;
    texts.push(text);
  }
  const head = JSON.stringify({ source: set.source, kinds: set.kinds });
  return `${head}\n${lines.join('')}\n${texts.join('')}`;
}

/**
 * Reads a packed schema set (see the file comment): the kinds at once, each definition when the
 * validator first asks for it (`loadDef`, which adds it to `defs`). Plain data properties only:
 * per-entry getters were measured slower than parsing the whole table.
 */
export function lazySchemaSet(packed: string): SchemaSet {
  const headEnd = packed.indexOf('\n');
  const head = JSON.parse(packed.slice(0, headEnd)) as PackedHead;
  const tail = packed.indexOf('\n\n', headEnd) + 2;
  const defs = Object.create(null) as Record<string, CompactSchema>;
  const loadDef = (name: string): CompactSchema | undefined => {
    if (!/^\S+$/.test(name)) return undefined;
    const line = packed.indexOf(`\n${name} `, headEnd);
    if (line < 0 || line >= tail) return undefined;
    const [start, end] = packed
      .slice(line + name.length + 2, packed.indexOf('\n', line + 1))
      .split(' ')
      .map(Number);
    if (start === undefined || end === undefined) return undefined;
    const value = JSON.parse(packed.slice(tail + start, tail + end)) as CompactSchema;
    defs[name] = value;
    return value;
  };
  return { source: head.source, kinds: head.kinds, defs, loadDef };
}
