/**
 * The YAML schema both fast readers resolve plain scalars with (ADR 0041, 0130, 0160): the 1.2
 * core schema (as the `yaml` library reads it: `2026-01-01` stays a string) plus merge keys
 * (`<<: *base`), which Kubernetes' own YAML reader resolves.
 */
import jsyaml from 'js-yaml';

const types = (
  jsyaml as unknown as {
    types: Record<'null' | 'bool' | 'int' | 'float' | 'merge', jsyaml.Type>;
  }
).types;

/**
 * A plain scalar that starts with an ASCII letter other than n, t or f (either case) is a string
 * under the core schema: null is `~`/`null`, booleans `true`/`false`, numbers start with a digit,
 * a sign or `.`, and the merge key is `<<`.
 */
function isWord(data: string): boolean {
  const c = data.charCodeAt(0) | 0x20; // lower case for letters
  return c >= 0x61 && c <= 0x7a && c !== 0x6e && c !== 0x74 && c !== 0x66;
}

/** Tried first, it spares most keys and values the four resolvers that cannot match them. */
const word = new jsyaml.Type('tag:yaml.org,2002:str', {
  kind: 'scalar',
  resolve: isWord,
  construct: (data: string) => data,
});

/** The core schema's implicit types in their order, after `word`. */
const implicit = [word, types.null, types.bool, types.int, types.float, types.merge];

export const schema = jsyaml.FAILSAFE_SCHEMA.extend({ implicit });

/** The merge key's resolved form: the block reader leaves merges to js-yaml. */
export const MERGE = types.merge;

/**
 * A plain scalar's value, as js-yaml's implicit resolution gives it with `schema` (the same type
 * objects in the same order); `MERGE` itself for `<<`.
 */
export function resolvePlain(data: string): unknown {
  if (isWord(data)) return data;
  for (let i = 1; i < implicit.length; i++) {
    const type = implicit[i];
    if (type?.resolve(data)) return type === MERGE ? MERGE : (type.construct(data) as unknown);
  }
  return data;
}
