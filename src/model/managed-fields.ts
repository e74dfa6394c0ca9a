/**
 * Server-side apply field ownership (`metadata.managedFields`, `fieldsType: FieldsV1`) as sets
 * of field paths: read them from live objects, compute the set an applied object declares, and
 * name paths for humans. Pure; used by the in-memory port (SSA-lite) and by drift reporting.
 *
 * A path is a list of FieldsV1 keys: `f:spec`, `f:replicas`, `k:{"name":"app"}` (an item of a
 * keyed list), `v:"x"` (an item of a set), and the marker `.` (the list item itself).
 */

export type FieldPath = readonly string[];

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: FieldsV1;
  subresource?: string;
}

/** The FieldsV1 tree: every key a FieldsV1 key, every leaf `{}`. */
export interface FieldsV1 {
  [key: string]: FieldsV1;
}

const sep = '\u0000';

/** A set of field paths, keyed by their joined form. */
export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.add(p);
    return set;
  }

  add(path: FieldPath): void {
    this.paths.set(path.join(sep), path);
  }
  has(path: FieldPath): boolean {
    return this.paths.has(path.join(sep));
  }
  delete(path: FieldPath): boolean {
    return this.paths.delete(path.join(sep));
  }
  get size(): number {
    return this.paths.size;
  }
  [Symbol.iterator](): IterableIterator<FieldPath> {
    return this.paths.values();
  }
  /** Paths in this set and not in `other`. */
  minus(other: FieldSet): FieldPath[] {
    return [...this].filter((p) => !other.has(p));
  }
  toFieldsV1(): FieldsV1 {
    const root: FieldsV1 = {};
    for (const path of this) {
      let node = root;
      for (const key of path) node = node[key] ??= {};
    }
    return root;
  }
}

/** Leaf paths of a FieldsV1 tree (a key whose value is `{}`, or a `.` marker). */
export function fieldSetOf(fields: FieldsV1 | undefined): FieldSet {
  const set = new FieldSet();
  const walk = (node: FieldsV1, prefix: string[]): void => {
    const keys = Object.keys(node);
    if (keys.length === 0 && prefix.length) set.add(prefix);
    for (const key of keys) {
      const child = node[key];
      if (child && typeof child === 'object') walk(child, [...prefix, key]);
    }
  };
  if (fields) walk(fields, []);
  return set;
}

/** Reads `metadata.managedFields` of a live object; tolerant of malformed entries. */
export function managedFieldsOf(obj: { metadata?: Record<string, unknown> }): ManagedFieldsEntry[] {
  const list = obj.metadata?.managedFields;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (e): e is ManagedFieldsEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as { manager?: unknown }).manager === 'string',
  );
}

/** Metadata fields the server sets itself and never records as owned. */
const unowned = new Set([
  'name',
  'namespace',
  'generateName',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/** List item key fields, in order of preference (strategic-merge keys of common lists). */
const itemKeys: readonly (readonly string[])[] = [
  ['name'],
  ['containerPort', 'protocol'],
  ['port', 'protocol'],
  ['mountPath'],
  ['devicePath'],
  ['type'],
  ['ip'],
  ['topologyKey'],
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key fields of a list's items when every item has them; undefined for atomic lists. */
export function listKeyOf(items: readonly unknown[]): readonly string[] | undefined {
  if (items.length === 0 || !items.every(isRecord)) return undefined;
  for (const key of itemKeys) {
    const first = key[0] ?? '';
    if (items.every((i) => i[first] !== undefined)) return key;
  }
  return undefined;
}

/** The FieldsV1 key of a keyed list item: `k:{"name":"app"}` (key fields in the given order). */
export function itemKeyOf(item: Record<string, unknown>, key: readonly string[]): string {
  const picked: Record<string, unknown> = {};
  for (const k of key) if (item[k] !== undefined) picked[k] = item[k];
  return `k:${JSON.stringify(picked)}`;
}

/**
 * The fields an object declares, as a server-side apply of it would own them: every leaf
 * (scalar, null, empty map, atomic list), and every keyed list item (`.` marker) with its fields.
 * `apiVersion`, `kind`, `status` and server-set metadata are left out.
 */
export function declaredFields(obj: Record<string, unknown>): FieldSet {
  const set = new FieldSet();
  const walk = (value: unknown, prefix: string[]): void => {
    if (isRecord(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0 && prefix.length) set.add(prefix);
      for (const k of keys) walk(value[k], [...prefix, `f:${k}`]);
      return;
    }
    if (Array.isArray(value)) {
      const key = listKeyOf(value);
      if (!key) return set.add(prefix);
      for (const item of value as Record<string, unknown>[]) {
        const itemPath = [...prefix, itemKeyOf(item, key)];
        set.add([...itemPath, '.']);
        for (const k of Object.keys(item)) walk(item[k], [...itemPath, `f:${k}`]);
      }
      return;
    }
    set.add(prefix);
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
    if (k === 'metadata' && isRecord(v)) {
      for (const [mk, mv] of Object.entries(v))
        if (!unowned.has(mk)) walk(mv, ['f:metadata', `f:${mk}`]);
      continue;
    }
    walk(v, [`f:${k}`]);
  }
  return set;
}

/** `spec.template.spec.containers[name=app].image`: a path as a human reads it. */
export function describePath(path: FieldPath): string {
  let out = '';
  for (const key of path) {
    if (key === '.') continue;
    if (key.startsWith('f:')) out += `${out ? '.' : ''}${key.slice(2)}`;
    else if (key.startsWith('k:')) {
      let parts = key.slice(2);
      try {
        const obj = JSON.parse(parts) as Record<string, unknown>;
        parts = Object.entries(obj)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(',');
      } catch {
        // Not JSON: shown as sent.
      }
      out += `[${parts}]`;
    } else if (key.startsWith('v:')) out += `[${key.slice(2)}]`;
    else if (key.startsWith('i:')) out += `[${key.slice(2)}]`;
    else out += `.${key}`;
  }
  return out;
}

/**
 * The value at a path of an object, or `undefined` when absent. Keyed list items are found by
 * their key fields; `.` returns the item itself.
 */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let node: unknown = obj;
  for (const key of path) {
    if (node === undefined || node === null) return undefined;
    if (key === '.') continue;
    if (key.startsWith('f:')) {
      node = isRecord(node) ? node[key.slice(2)] : undefined;
    } else if (key.startsWith('k:')) {
      if (!Array.isArray(node)) return undefined;
      let want: Record<string, unknown>;
      try {
        want = JSON.parse(key.slice(2)) as Record<string, unknown>;
      } catch {
        return undefined;
      }
      node = node.find(
        (item) => isRecord(item) && Object.entries(want).every(([k, v]) => item[k] === v),
      );
    } else if (key.startsWith('v:')) {
      if (!Array.isArray(node)) return undefined;
      const want = JSON.parse(key.slice(2)) as unknown;
      node = node.find((item) => item === want);
    } else return undefined;
  }
  return node;
}

/**
 * Fields a manager lost between two versions of an object: for each other manager, the paths it
 * owned before and no longer owns after, while `winner` owns them after. This is what a forced
 * apply by `winner` took back (drift).
 */
export function fieldsTakenBy(
  winner: string,
  before: readonly ManagedFieldsEntry[],
  after: readonly ManagedFieldsEntry[],
): { manager: string; paths: FieldPath[] }[] {
  const ownedAfter = (manager: string): FieldSet => {
    const set = new FieldSet();
    for (const e of after)
      if (e.manager === manager && !e.subresource)
        for (const p of fieldSetOf(e.fieldsV1)) set.add(p);
    return set;
  };
  const winnerAfter = ownedAfter(winner);
  const out: { manager: string; paths: FieldPath[] }[] = [];
  const managers = [...new Set(before.map((e) => e.manager))].filter((m) => m !== winner).sort();
  for (const manager of managers) {
    const had = new FieldSet();
    for (const e of before)
      if (e.manager === manager && !e.subresource)
        for (const p of fieldSetOf(e.fieldsV1)) had.add(p);
    const still = ownedAfter(manager);
    const lost = had.minus(still).filter((p) => winnerAfter.has(p) && p[p.length - 1] !== '.');
    if (lost.length) out.push({ manager, paths: lost });
  }
  return out;
}
