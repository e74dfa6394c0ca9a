/**
 * Applying fix ops to a `yaml` Document in place, through its node API, so comments and the
 * style of untouched nodes survive. Every op is idempotent.
 */
import { isCollection, isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import type { PathSegment } from '../../yaml/stream.ts';
import type { FixOp } from '../engine/types.ts';

type Collection = YAMLMap | YAMLSeq;

function childOf(node: Collection, segment: PathSegment): unknown {
  return node.get(segment, true);
}

/** The collection at `path`, creating maps (or sequences, before a numeric segment) on the way. */
function ensureCollection(
  doc: Document,
  path: readonly PathSegment[],
  last: 'map' | 'seq',
): Collection {
  if (!isCollection(doc.contents)) doc.contents = new YAMLMap();
  let node = doc.contents;
  path.forEach((segment, i) => {
    const child = childOf(node, segment);
    if (isCollection(child)) {
      node = child;
      return;
    }
    const next = path[i + 1];
    const kind = next === undefined ? last : typeof next === 'number' ? 'seq' : 'map';
    const created = kind === 'seq' ? new YAMLSeq() : new YAMLMap();
    node.set(segment, created);
    node = created;
  });
  return node;
}

function valueAt(doc: Document, path: readonly PathSegment[]): unknown {
  const node = doc.getIn(path, true);
  if (node === undefined) return undefined;
  return isScalar(node) ? node.value : isCollection(node) ? node.toJSON() : node;
}

/** Applies one op; returns whether the document changed. */
export function applyOp(doc: Document, op: FixOp): boolean {
  switch (op.op) {
    case 'set': {
      if (isDeepStrictEqual(valueAt(doc, op.path), op.value)) return false;
      const current = doc.getIn(op.path, true);
      if (isScalar(current) && (op.value === null || typeof op.value !== 'object')) {
        // Change the value in place: its comment (`key: value # why`) and anchor stay.
        if (typeof current.value !== typeof op.value) current.type = undefined;
        current.value = op.value;
        return true;
      }
      const parent = ensureCollection(doc, op.path.slice(0, -1), 'map');
      const key = op.path[op.path.length - 1];
      if (key === undefined) return false;
      const node = doc.createNode(op.value);
      if (op.comment !== undefined && isScalar(node)) node.comment = ` ${op.comment}`;
      parent.set(key, node);
      return true;
    }
    case 'append': {
      const existing = doc.getIn(op.path, true);
      if (isSeq(existing)) {
        const items = existing.toJSON();
        const key = op.matchKey;
        const present = items.some((item) =>
          key !== undefined && isPlainObject(item) && isPlainObject(op.value)
            ? item[key] === op.value[key]
            : isDeepStrictEqual(item, op.value),
        );
        if (present) return false;
        existing.add(doc.createNode(op.value));
        return true;
      }
      const parent = ensureCollection(doc, op.path.slice(0, -1), 'map');
      const key = op.path[op.path.length - 1];
      if (key === undefined) return false;
      const seq = new YAMLSeq();
      seq.add(doc.createNode(op.value));
      parent.set(key, seq);
      return true;
    }
    case 'remove-items': {
      const existing = doc.getIn(op.path, true);
      if (!isSeq(existing)) return false;
      const before = existing.items.length;
      existing.items = existing.items.filter((item) => {
        const value: unknown = isScalar(item)
          ? item.value
          : isMap(item) || isSeq(item)
            ? item.toJSON()
            : item;
        return !op.values.some((v) => isDeepStrictEqual(v, value));
      });
      return existing.items.length !== before;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
