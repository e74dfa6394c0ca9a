/**
 * Label and field selectors in their query-string form (`app=x,tier!=db,env in (a,b),!old`,
 * `metadata.name=x,status.phase!=Running`), for the in-memory API server's list and watch.
 */
import type { KubeObject } from '../../model/object.ts';
import { InvalidError } from '../errors.ts';

type Test = (obj: KubeObject) => boolean;

/** Splits on commas outside parentheses. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out.filter((t) => t !== '');
}

function labelTerm(term: string): Test {
  const labels = (o: KubeObject): Record<string, string> => o.metadata.labels ?? {};
  const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = list.split(',').map((v) => v.trim());
    return op === 'in'
      ? (o) => values.includes(labels(o)[key] ?? '\u0000')
      : (o) => !values.includes(labels(o)[key] ?? '\u0000');
  }
  const cmp = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term);
  if (cmp) {
    const [, key = '', op, value = ''] = cmp;
    return op === '!=' ? (o) => labels(o)[key] !== value : (o) => labels(o)[key] === value;
  }
  const not = /^!([\w./-]+)$/.exec(term);
  if (not) return (o) => !Object.hasOwn(labels(o), not[1] ?? '');
  if (/^[\w./-]+$/.test(term)) return (o) => Object.hasOwn(labels(o), term);
  throw new InvalidError(`labelSelector: cannot parse "${term}"`);
}

/** A test for a label selector string; everything matches an empty one. */
export function labelSelectorTest(selector: string | undefined): Test {
  const tests = splitTerms(selector ?? '').map(labelTerm);
  return (o) => tests.every((t) => t(o));
}

function fieldValue(obj: KubeObject, path: string): string {
  let node: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return '';
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean'
    ? String(node)
    : '';
}

/** A test for a field selector string (`=`, `==`, `!=` on dotted paths). */
export function fieldSelectorTest(selector: string | undefined): Test {
  const tests = splitTerms(selector ?? '').map((term): Test => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new InvalidError(`fieldSelector: cannot parse "${term}"`);
    const [, path = '', op, value = ''] = m;
    return op === '!='
      ? (o) => fieldValue(o, path) !== value
      : (o) => fieldValue(o, path) === value;
  });
  return (o) => tests.every((t) => t(o));
}
