/**
 * Server-side apply, lite: enough of the field-ownership rules for unit tests of the actors.
 * - An apply owns the fields its object declares (src/model/managed-fields.ts); a field another
 *   manager owns with another value is a conflict, unless forced (then ownership moves).
 * - Fields the manager declared last time and no longer declares are removed, unless another
 *   manager owns them too.
 * - Maps merge, keyed lists (`name`, `containerPort`...) merge by key, other lists are atomic.
 * - An update (create, patch, /scale) owns the fields it changed, taking them from the others.
 * Not modelled: status ownership, sets (`v:`), per-version schemas, unions.
 */
import type { KubeObject } from '../../model/object.ts';
import {
  declaredFields,
  describePath,
  FieldSet,
  fieldSetOf,
  itemKeyOf,
  listKeyOf,
  managedFieldsOf,
  valueAt,
  type FieldPath,
  type ManagedFieldsEntry,
} from '../../model/managed-fields.ts';
import type { StatusCause } from '../errors.ts';

type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Merges an applied value into a live one (maps by key, keyed lists by item key). */
export function mergeApplied(live: unknown, applied: unknown): unknown {
  if (isRecord(live) && isRecord(applied)) {
    const out: Rec = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(live[k], v);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied)) {
    const key = listKeyOf(applied);
    if (!key || !live.every(isRecord)) return structuredClone(applied);
    const out = [...live];
    for (const item of applied as Rec[]) {
      const id = itemKeyOf(item, key);
      const at = out.findIndex((x) => itemKeyOf(x, key) === id);
      if (at >= 0) out[at] = mergeApplied(out[at], item) as Rec;
      else out.push(structuredClone(item));
    }
    return out;
  }
  return structuredClone(applied);
}

/** Removes the field at `path` (a `.` path removes the list item). */
function removeAt(obj: Rec, path: FieldPath): void {
  const itemPath = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  const parent = valueAt(obj, itemPath.slice(0, -1));
  const last = itemPath[itemPath.length - 1] ?? '';
  if (last.startsWith('f:') && isRecord(parent)) delete parent[last.slice(2)];
  else if (last.startsWith('k:') && Array.isArray(parent)) {
    const item = valueAt(obj, itemPath);
    const at = parent.indexOf(item);
    if (at >= 0) parent.splice(at, 1);
  }
}

function entryFields(entries: readonly ManagedFieldsEntry[]): Map<string, FieldSet> {
  const out = new Map<string, FieldSet>();
  for (const e of entries) {
    const key = `${e.manager}|${e.operation}|${e.subresource ?? ''}`;
    const set = out.get(key) ?? new FieldSet();
    for (const p of fieldSetOf(e.fieldsV1)) set.add(p);
    out.set(key, set);
  }
  return out;
}

function toEntries(
  owners: Map<string, FieldSet>,
  apiVersion: string,
  time: string,
): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const [key, set] of owners) {
    if (set.size === 0) continue;
    const [manager = '', operation = 'Update', subresource = ''] = key.split('|');
    out.push({
      manager,
      operation: operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: set.toFieldsV1(),
      ...(subresource ? { subresource } : {}),
    });
  }
  return out;
}

export interface SsaResult {
  object: KubeObject;
  conflicts: StatusCause[];
}

/**
 * Applies `applied` over `live` (undefined: create) as `manager`. With conflicts and no force
 * the result carries them and the object is unchanged.
 */
export function applyFields(
  live: KubeObject | undefined,
  applied: KubeObject,
  options: { manager: string; force: boolean; time: string },
): SsaResult {
  const declared = declaredFields(applied);
  const owners = entryFields(live ? managedFieldsOf(live) : []);
  const self = `${options.manager}|Apply|`;
  const conflicts: StatusCause[] = [];
  for (const [key, set] of owners) {
    if (key === self) continue;
    const [manager = '', , subresource] = key.split('|');
    for (const path of declared) {
      if (!set.has(path) || path[path.length - 1] === '.') continue;
      if (deepEqual(valueAt(live, path), valueAt(applied, path))) continue;
      if (options.force) set.delete(path);
      else
        conflicts.push({
          type: 'FieldManagerConflict',
          message: `conflict with "${manager}"${subresource ? ` with subresource "${subresource}"` : ''} using ${applied.apiVersion}`,
          field: `.${describePath(path)}`,
        });
    }
  }
  if (conflicts.length) return { object: live ?? applied, conflicts };
  const previous = owners.get(self) ?? new FieldSet();
  const released = previous.minus(declared).filter((p) => {
    for (const [key, set] of owners) if (key !== self && set.has(p)) return false;
    return true;
  });
  const { metadata: _m, ...body } = applied;
  const merged = mergeApplied(live ?? {}, body) as KubeObject;
  merged.metadata = mergeApplied(live?.metadata ?? {}, applied.metadata) as KubeObject['metadata'];
  for (const path of released) removeAt(merged, path);
  owners.set(self, declared);
  merged.metadata.managedFields = toEntries(owners, applied.apiVersion, options.time);
  return { object: merged, conflicts: [] };
}

/**
 * Records an update (create, patch, /scale) by `manager`: the fields it changed become its own
 * and leave the other managers; fields that disappeared leave everyone.
 */
export function recordUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  options: { manager: string; time: string; subresource?: string },
): KubeObject {
  const owners = entryFields(before ? managedFieldsOf(before) : []);
  const now = declaredFields(after);
  const changed = [...now].filter((p) =>
    p[p.length - 1] === '.'
      ? valueAt(before, p) === undefined
      : !deepEqual(valueAt(before, p), valueAt(after, p)),
  );
  const gone = before ? declaredFields(before).minus(now) : [];
  for (const set of owners.values()) {
    for (const p of changed) set.delete(p);
    for (const p of gone) set.delete(p);
  }
  const self = `${options.manager}|Update|${options.subresource ?? ''}`;
  const mine = owners.get(self) ?? new FieldSet();
  for (const p of changed) mine.add(p);
  owners.set(self, mine);
  const out = { ...after, metadata: { ...after.metadata } };
  out.metadata.managedFields = toEntries(owners, after.apiVersion, options.time);
  return out;
}

/** Equal apart from server bookkeeping (resourceVersion, managed-field times). */
export function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): unknown => {
    const { resourceVersion: _rv, managedFields, ...meta } = o.metadata;
    const fields = Array.isArray(managedFields)
      ? (managedFields as Record<string, unknown>[]).map(({ time: _t, ...rest }) => rest)
      : managedFields;
    return { ...o, metadata: { ...meta, managedFields: fields } };
  };
  return deepEqual(strip(a), strip(b));
}

/** Whether anything but metadata and status changed (what bumps `generation`). */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const body = (o: KubeObject): unknown => {
    const { metadata: _m, status: _s, ...rest } = o;
    return rest;
  };
  return !deepEqual(body(a), body(b));
}
