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
 * Applies the line changes between two printouts of the file to its original text. When the
 * printout of the untouched file does not line up with the original (a construct the printer
 * reflows), the printed file is returned instead: correct, but reformatted.
 */
export function splice(text: string, original: string, changed: string): string {
  const textLines = text.split('\n');
  const originalLines = original.split('\n');
  if (textLines.length !== originalLines.length) return changed;
  const out: string[] = [];
  // For each output line: its indentation in the printout, and how far the file's own
  // indentation is from it there. Inserted lines take the offset of the nearest line above them
  // at their level or shallower, so they line up with the file's style (flush or indented lists).
  const levels: { printed: number; delta: number }[] = [];
  let i = 0;
  for (const part of diffArrays(originalLines, changed.split('\n'))) {
    if (part.removed) {
      i += part.value.length;
    } else if (part.added) {
      for (const line of part.value) {
        const printed = indentOf(line);
        let delta = 0;
        for (let k = levels.length - 1; k >= 0; k--) {
          const level = levels[k];
          if (level && level.printed <= printed && !(line.trim() === '')) {
            delta = level.delta;
            break;
          }
        }
        const shifted =
          line.trim() === ''
            ? line
            : delta >= 0
              ? ' '.repeat(delta) + line
              : line.slice(Math.min(-delta, printed));
        out.push(shifted);
        levels.push({ printed, delta });
      }
    } else {
      for (let k = 0; k < part.value.length; k++) {
        const own = textLines[i + k] ?? '';
        const printedLine = originalLines[i + k] ?? '';
        out.push(own);
        if (own.trim() !== '' && !own.trim().startsWith('#'))
          levels.push({
            printed: indentOf(printedLine),
            delta: indentOf(own) - indentOf(printedLine),
          });
      }
      i += part.value.length;
    }
  }
  return out.join('\n');
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
