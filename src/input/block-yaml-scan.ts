/**
 * The block reader's scans of one token on one line (ADR 0160): plain and quoted scalars, anchor
 * names, plain scalars in a flow sequence; and the character classes they use.
 */
import { MERGE, resolvePlain } from './yaml-schema.ts';

/** Where the last scanned token ended. */
export interface Scan {
  cursor: number;
}

/** Thrown when the text leaves the subset; never escapes `readBlockYaml`. */
class OutsideSubset extends Error {}
export const outside = new OutsideSubset('outside the block subset');

export const LF = 0x0a;
export const SPACE = 0x20;
export const HASH = 0x23;
export const DASH = 0x2d;
export const COLON = 0x3a;
export const SQUOTE = 0x27;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;

/**
 * Characters the subset never holds in its content: tabs, CR, and what js-yaml refuses as
 * non-printable (controls, 0x7F-0x9F but NEL, surrogates, U+FFFE/U+FFFF), plus the BOM. Checked
 * by the scans that read content, so the text is not read twice; CR and NUL are looked for in
 * the whole text (js-yaml breaks lines at a CR and refuses a NUL even in a comment).
 */
export const isOutside = (c: number): boolean =>
  c < SPACE
    ? c !== LF
    : c >= 0x7f &&
      (c <= 0x9f ? c !== 0x85 : (c >= 0xd800 && c <= 0xdfff) || c === 0xfeff || c >= 0xfffe);

export const isSpaceOrEnd = (c: number): boolean => c === SPACE || c === LF || Number.isNaN(c);
export const isFlowIndicator = (c: number): boolean =>
  c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
/** Characters a plain scalar cannot start with (besides `-`, `?`, `:` before a space). */
export const isIndicator = (c: number): boolean =>
  isFlowIndicator(c) ||
  c === HASH ||
  c === 0x26 || // &
  c === 0x2a || // *
  c === 0x21 || // !
  c === 0x7c || // |
  c === 0x3e || // >
  c === SQUOTE ||
  c === DQUOTE ||
  c === 0x25 || // %
  c === 0x40 || // @
  c === 0x60; // `

/**
 * Scans a plain scalar from `at` in block context: it ends at `: `, at ` #`, or at the line's
 * end. Returns where its text ends (trailing spaces dropped) and leaves `cursor` on what ended
 * it (the colon, the `#`, the line break, or the text's end).
 */
export function plainEnd(text: string, at: number, scan: Scan): number {
  const c = text.charCodeAt(at);
  if (isIndicator(c)) throw outside;
  if ((c === DASH || c === 0x3f || c === COLON) && isSpaceOrEnd(text.charCodeAt(at + 1)))
    throw outside;
  let end = at;
  let p = at;
  for (; p < text.length; p++) {
    const ch = text.charCodeAt(p);
    if (ch === COLON) {
      if (isSpaceOrEnd(text.charCodeAt(p + 1))) break;
    } else if (ch === HASH) {
      if (text.charCodeAt(p - 1) === SPACE) break;
    } else if (ch === LF) break;
    else if ((ch < SPACE || ch >= 0x7f) && isOutside(ch)) throw outside;
    if (ch !== SPACE) end = p + 1;
  }
  scan.cursor = p;
  return end;
}

/** A quoted scalar on one line, without backslash escapes; sets `cursor` after the closing quote. */
export function quoted(text: string, at: number, scan: Scan): string {
  const quote = text.charCodeAt(at);
  let value = '';
  let from = at + 1;
  for (let p = from; ; p++) {
    const c = text.charCodeAt(p);
    if (c === LF || p >= text.length || (c === BACKSLASH && quote === DQUOTE) || isOutside(c))
      throw outside;
    if (c !== quote) continue;
    if (quote === SQUOTE && text.charCodeAt(p + 1) === SQUOTE) {
      value += text.slice(from, p + 1);
      from = p + 2;
      p++;
      continue;
    }
    scan.cursor = p + 1;
    return from === at + 1 ? text.slice(from, p) : value + text.slice(from, p);
  }
}

/** `&name`: the name runs to a space, the line's end or a flow indicator; sets `cursor` after it. */
export function anchorName(text: string, at: number, scan: Scan): string {
  let p = at;
  while (p < text.length && !isSpaceOrEnd(text.charCodeAt(p))) {
    const c = text.charCodeAt(p);
    if (isFlowIndicator(c) || isOutside(c)) throw outside;
    p++;
  }
  if (p === at) throw outside;
  scan.cursor = p;
  return text.slice(at, p);
}

/** A plain scalar inside a flow sequence, pushed onto `out`; returns where it ended. */
export function flowPlain(text: string, at: number, out: unknown[]): number {
  const c = text.charCodeAt(at);
  const next = text.charCodeAt(at + 1);
  if (isIndicator(c)) throw outside;
  if ((c === DASH || c === 0x3f || c === COLON) && (isSpaceOrEnd(next) || isFlowIndicator(next)))
    throw outside;
  let end = at;
  let p = at;
  for (; ; p++) {
    const ch = text.charCodeAt(p);
    if (ch === 0x2c || ch === 0x5d) break;
    if (ch === LF || p >= text.length || isFlowIndicator(ch) || ch === COLON || isOutside(ch))
      throw outside;
    if (ch === HASH && text.charCodeAt(p - 1) === SPACE) throw outside;
    if (ch !== SPACE) end = p + 1;
  }
  const value = resolvePlain(text.slice(at, end));
  if (value === MERGE) throw outside;
  out.push(value);
  return p;
}
