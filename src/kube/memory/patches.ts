/** The three patch formats, for the in-memory API server. */
import type { PatchType } from '../api.ts';
import { InvalidError } from '../errors.ts';
import { listKeyOf, itemKeyOf } from '../../model/managed-fields.ts';

type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386: maps merge, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return structuredClone(patch);
  const out: Rec = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Strategic merge, lite: a merge patch whose keyed lists (`name`...) merge by key. */
export function strategicPatch(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const key = listKeyOf(patch);
    if (!key || !target.every(isRecord)) return structuredClone(patch);
    const out = [...target];
    for (const item of patch as Rec[]) {
      const at = out.findIndex((x) => itemKeyOf(x, key) === itemKeyOf(item, key));
      if (at >= 0) out[at] = strategicPatch(out[at], item) as Rec;
      else out.push(structuredClone(item));
    }
    return out;
  }
  if (!isRecord(patch)) return structuredClone(patch);
  const out: Rec = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = strategicPatch(out[k], v);
  }
  return out;
}

interface Operation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902: add, remove, replace, test (move and copy too). */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new InvalidError('a JSON patch is a list of operations');
  let doc = structuredClone(target);
  for (const raw of operations as Operation[]) {
    const parts = pointer(raw.path);
    const last = parts.pop();
    const parent = parts.reduce<unknown>(
      (node, p) => (isRecord(node) || Array.isArray(node) ? (node as Rec)[p] : undefined),
      doc,
    );
    if (last === undefined) {
      if (raw.op === 'replace' || raw.op === 'add') doc = structuredClone(raw.value);
      continue;
    }
    if (!isRecord(parent) && !Array.isArray(parent))
      throw new InvalidError(`JSON patch ${raw.op} ${raw.path}: the parent does not exist`);
    const value = raw.op === 'move' || raw.op === 'copy' ? valueOf(doc, raw.from ?? '') : raw.value;
    if (raw.op === 'move') jsonPatch(doc, [{ op: 'remove', path: raw.from }]);
    switch (raw.op) {
      case 'test':
        if (JSON.stringify((parent as Rec)[last]) !== JSON.stringify(raw.value))
          throw new InvalidError(`JSON patch test ${raw.path} failed`);
        break;
      case 'remove':
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'add':
      case 'move':
      case 'copy':
        if (Array.isArray(parent))
          parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(value));
        else parent[last] = structuredClone(value);
        break;
      case 'replace':
        (parent as Rec)[last] = structuredClone(value);
        break;
      default:
        throw new InvalidError(`JSON patch: unknown operation "${raw.op}"`);
    }
  }
  return doc;
}

function valueOf(doc: unknown, path: string): unknown {
  return pointer(path).reduce<unknown>(
    (node, p) => (isRecord(node) || Array.isArray(node) ? (node as Rec)[p] : undefined),
    doc,
  );
}

export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  switch (type) {
    case 'merge':
      return mergePatch(target, patch);
    case 'strategic':
      return strategicPatch(target, patch);
    case 'json':
      return jsonPatch(target, patch);
  }
}
