/**
 * JSON with object keys sorted, so equal content gives equal text whatever the key order: for
 * content hashes (render's config hashes, a revision's digest) and for comparing objects (a
 * rollout's template, what a rollback changes). Same values as `JSON.stringify` otherwise:
 * properties whose value is undefined are left out, undefined in an array is `null`. Built in
 * one pass, without intermediate arrays of parts.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = '{';
    let first = true;
    for (const k of keys) {
      const v = record[k];
      if (v === undefined) continue;
      out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
      first = false;
    }
    return out + '}';
  }
  return JSON.stringify(value) ?? 'null';
}
