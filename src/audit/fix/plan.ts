/**
 * Turning findings with fixes into new file contents. Pure: texts in, texts out (the CLI writes
 * them atomically or prints the diff).
 *
 * Formatting is kept by diffing, not by re-printing: the file is printed by the `yaml` library
 * before and after the edits, the two printouts are compared line by line, and only the changed
 * lines are spliced into the original text. Untouched lines keep their exact bytes (comments,
 * quoting, indentation, flow style); touched and inserted lines take the style the library
 * detects for the file. New objects (NetworkPolicies, PDBs) are appended as new documents.
 */
import { diffArrays } from 'diff';
import { parseAllDocuments, stringify, type Document, type ToStringOptions } from 'yaml';
import type { Finding, NewObjectFix, ObjectFix } from '../engine/types.ts';
import { applyOp } from './apply-ops.ts';

export interface FileFix {
  file: string;
  before: string;
  after: string;
  /** Findings whose fix changed the file. */
  fixed: Finding[];
}

export interface FixPlan {
  files: FileFix[];
  /** Findings with a fix that turned out to change nothing (already applied by another fix). */
  noop: number;
}

/**
 * Plans every fix of `findings` against the file texts. `existing` holds the identities
 * (`Kind/namespace/name`) of objects already in the input, so new objects are added once.
 */
export function planFixes(
  findings: readonly Finding[],
  texts: ReadonlyMap<string, string>,
  existing: ReadonlySet<string>,
): FixPlan {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.fix || !f.location || f.location.origin !== 'file' || !texts.has(f.location.file))
      continue;
    const list = byFile.get(f.location.file) ?? [];
    list.push(f);
    byFile.set(f.location.file, list);
  }
  const plan: FixPlan = { files: [], noop: 0 };
  const added = new Set(existing);
  for (const [file, list] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const before = texts.get(file) ?? '';
    const result = fixFile(before, list, added);
    plan.noop += list.length - result.fixed.length;
    if (result.after !== before)
      plan.files.push({ file, before, after: result.after, fixed: result.fixed });
  }
  return plan;
}

function fixFile(
  text: string,
  findings: Finding[],
  added: Set<string>,
): { after: string; fixed: Finding[] } {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0))
    return { after: text, fixed: [] };
  const options = printOptions(text);
  const print = (ds: readonly Document[]): string => ds.map((d) => d.toString(options)).join('');
  const original = print(docs);
  const fixed: Finding[] = [];
  const appended: string[] = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    if (fix.kind === 'object') {
      const doc = documentFor(docs, finding);
      if (doc && applyObjectFix(doc, fix)) fixed.push(finding);
    } else if (appendObjects(fix, added, appended, options)) fixed.push(finding);
  }
  const changed = print(docs);
  let after = changed === original ? text : splice(text, original, changed);
  if (appended.length > 0) {
    after = after.endsWith('\n') || after === '' ? after : `${after}\n`;
    after += appended.map((a) => `---\n${a}`).join('');
  }
  return { after, fixed };
}

/** The document of the finding's object: at its index when it is there, else found by identity. */
function documentFor(docs: readonly Document[], finding: Finding): Document | undefined {
  const ref = finding.object;
  const matches = (d: Document | undefined): boolean => {
    const kind: unknown = d?.getIn(['kind']);
    const name: unknown = d?.getIn(['metadata', 'name']);
    const namespace: unknown = d?.getIn(['metadata', 'namespace']);
    return (
      ref !== undefined &&
      kind === ref.kind &&
      name === ref.name &&
      (namespace ?? undefined) === ref.namespace
    );
  };
  const byIndex = docs[finding.location?.documentIndex ?? -1];
  return matches(byIndex) ? byIndex : docs.find(matches);
}

function applyObjectFix(doc: Document, fix: ObjectFix): boolean {
  let changed = false;
  for (const op of fix.ops) changed = applyOp(doc, op) || changed;
  return changed;
}

function appendObjects(
  fix: NewObjectFix,
  added: Set<string>,
  appended: string[],
  options: ToStringOptions,
): boolean {
  let any = false;
  for (const { key, value } of fix.objects) {
    if (added.has(key)) continue;
    added.add(key);
    appended.push(stringify(value, options));
    any = true;
  }
  return any;
}

/** Sequence indentation as the file does it (`- ` under its key, or indented), no line folding. */
function printOptions(text: string): ToStringOptions {
  const indented = /^( *)[\w.-]+:\s*\n\1 {2}- /m.test(text);
  const flush = /^( *)[\w.-]+:\s*\n\1- /m.test(text);
  return { lineWidth: 0, indentSeq: indented || !flush };
}

/**
 * Applies the line changes between two printouts of the file to its original text, as a
 * three-way merge: the original text is aligned with the printout of the untouched file (they
 * differ where the printer reflows a construct: trailing blank lines, a comment line under an
 * empty key, CRLF), the printout is diffed with the printout after the edits, and only the
 * printout lines the edits removed or added change the text. Every text line the printer did not
 * produce, and every line it produced unchanged, keeps its exact bytes.
 */
export function splice(text: string, original: string, changed: string): string {
  const crlf = text.includes('\r\n');
  const textLines = (crlf ? text.replace(/\r\n/g, '\n') : text).split('\n');
  const originalLines = original.split('\n');
  // Lines the printer reproduces up to spacing (`a: 1   # why`, `{ a: b }`) align too.
  const squash = (line: string): string => line.replace(/\s+/g, '');
  const alignment = diffArrays(textLines, originalLines, {
    comparator: (a, b) => a === b || squash(a) === squash(b),
  });
  // what the edits do to each printed line: kept or removed, and lines added before it
  const removed = new Set<number>();
  const addedBefore = new Map<number, string[]>();
  {
    let o = 0;
    for (const part of diffArrays(originalLines, changed.split('\n'))) {
      if (part.removed) for (let k = 0; k < part.value.length; k++) removed.add(o++);
      else if (part.added) addedBefore.set(o, [...(addedBefore.get(o) ?? []), ...part.value]);
      else o += part.value.length;
    }
  }
  const out: string[] = [];
  const levels: { printed: number; delta: number }[] = [];
  const emitAdded = (o: number): void => {
    for (const line of addedBefore.get(o) ?? []) {
      out.push(shiftLike(line, levels));
      levels.push({ printed: indentOf(line), delta: deltaFor(line, levels) });
    }
  };
  let o = 0;
  let t = 0;
  for (const part of alignment) {
    if (part.removed) {
      // text lines the printer reflows (trailing blanks, comments under empty keys): kept as is
      out.push(...part.value);
      t += part.value.length;
    } else if (part.added) {
      // printed lines the text has in another form: an edit of them cannot be spliced
      for (let k = 0; k < part.value.length; k++, o++) {
        if (removed.has(o)) return changed;
        emitAdded(o);
      }
    } else {
      for (let k = 0; k < part.value.length; k++, t++) {
        emitAdded(o);
        const line = textLines[t] ?? '';
        const printed = originalLines[o] ?? '';
        if (!removed.has(o)) {
          out.push(line);
          if (line.trim() !== '' && !line.trim().startsWith('#'))
            levels.push({ printed: indentOf(printed), delta: indentOf(line) - indentOf(printed) });
        }
        o++;
      }
    }
  }
  emitAdded(o);
  const joined = out.join('\n');
  return crlf ? joined.replace(/\n/g, '\r\n') : joined;
}

/** The indentation offset of the nearest line above at this level or shallower. */
function deltaFor(line: string, levels: readonly { printed: number; delta: number }[]): number {
  if (line.trim() === '') return 0;
  const printed = indentOf(line);
  for (let k = levels.length - 1; k >= 0; k--) {
    const level = levels[k];
    if (level && level.printed <= printed) return level.delta;
  }
  return 0;
}

/** An inserted line, indented in the file's style (flush or indented lists). */
function shiftLike(line: string, levels: readonly { printed: number; delta: number }[]): string {
  if (line.trim() === '') return line;
  const delta = deltaFor(line, levels);
  return delta >= 0 ? ' '.repeat(delta) + line : line.slice(Math.min(-delta, indentOf(line)));
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
