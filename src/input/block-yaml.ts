/**
 * A reader for the block-style YAML that Kubernetes manifests are written in: one pass over the
 * text, no token or state objects, only the values and the spans of their collections. It yields
 * exactly what js-yaml (with `schema`) and its parse-event listener yield — the same values, the
 * same line spans — for the subset below, and gives up (returns undefined, the caller then runs
 * js-yaml) on anything outside it: a file is read by one reader or the other, never by a mix.
 *
 * The subset: LF line breaks, no tab, no control or surrogate character; `---` alone on its line
 * between documents; block mappings whose keys are plain or quoted on one line; block sequences
 * whose items start on the dash's line (a scalar, a compact mapping, `{}`, `[]` or a one-line flow
 * sequence of scalars); plain scalars on one line; single-quoted and double-quoted scalars on one
 * line (no backslash escape); comments; `&anchor` before a mapping value and `*alias` as a value.
 * Outside it: block scalars (`|`, `>`), tags, multi-line scalars, flow mappings with content,
 * explicit keys, merge keys, directives, CRLF — and everything js-yaml would refuse, since its
 * error is what the caller needs (ADR 0160).
 */
import { addNewSpan, type Spans } from './yaml-spans.ts';
import { MERGE, resolvePlain } from './yaml-schema.ts';
import {
  anchorName,
  flowPlain,
  outside,
  plainEnd,
  quoted,
  type Scan,
  COLON,
  DASH,
  DQUOTE,
  HASH,
  isIndicator,
  isSpaceOrEnd,
  LF,
  SPACE,
  SQUOTE,
} from './block-yaml-scan.ts';

/** js-yaml's nesting limit is 100 nodes; the subset stops well before it. */
const MAX_DEPTH = 40;

/**
 * The plain keys read so far, by a hash of their text: manifests repeat a few hundred key names,
 * so most keys are found here instead of being cut from the text and resolved again (the same
 * string, one allocation less).
 */
const KEY_SLOTS = 4096;
const keys: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined);

/**
 * Reads a stream into its documents' values and records the spans of their collections, or
 * returns undefined when the text is outside the subset (the spans may then hold partial records:
 * the caller discards them).
 */
export function readBlockYaml(text: string, spans: Spans): unknown[] | undefined {
  if (text.includes('\r') || text.includes('\0')) return undefined;
  try {
    return new Reader(text, spans).documents();
  } catch (error) {
    if (error === outside) return undefined;
    throw error;
  }
}

class Reader implements Scan {
  /** Offset of the current line's first character that is not a space. */
  private pos = 0;
  /** Offset where the current line starts. */
  private lineStart = 0;
  /** 0-based line of `pos`; at the end, the line after the last (as js-yaml counts it). */
  private line = 0;
  private indent = 0;
  private eof = false;
  /** Where the last scanned token ended. */
  cursor = 0;
  private depth = 0;
  private anchors = new Map<string, unknown>();

  constructor(
    private readonly text: string,
    private readonly spans: Spans,
  ) {}

  documents(): unknown[] {
    const values: unknown[] = [];
    this.seek(0);
    if (this.eof) throw outside; // only blanks and comments: js-yaml's counting of those differs
    for (;;) {
      if (!this.eof && this.isMarker()) this.nextLine(this.pos + 3);
      else if (values.length > 0) break;
      this.anchors.clear();
      if (this.eof || this.isMarker()) {
        values.push(null);
        if (this.eof) break;
        continue;
      }
      if (this.indent !== 0) throw outside;
      values.push(this.isDash() ? this.sequence(this.line) : this.mapping(this.line, 0, this.pos));
      if (!this.eof && !this.isMarker()) throw outside;
    }
    return values;
  }

  /** From the start of a line: skips blank and comment lines to the next content or the end. */
  private seek(from: number): void {
    const text = this.text;
    for (;;) {
      if (from >= text.length) {
        this.eof = true;
        return;
      }
      let p = from;
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      if (c === LF) {
        from = p + 1;
        this.line++;
      } else if (c === HASH || p >= text.length) {
        const end = text.indexOf('\n', p);
        from = end === -1 ? text.length : end + 1;
        this.line++;
      } else {
        this.lineStart = from;
        this.pos = p;
        this.indent = p - from;
        return;
      }
    }
  }

  /** After a token at `p`: the rest of the line must be spaces or a comment; then to the next content. */
  private nextLine(p: number): void {
    const text = this.text;
    while (text.charCodeAt(p) === SPACE) p++;
    const c = text.charCodeAt(p);
    if (c === HASH) {
      const end = text.indexOf('\n', p);
      p = end === -1 ? text.length : end;
    } else if (c !== LF && p < text.length) throw outside;
    this.line++;
    this.seek(p + 1);
  }

  private isDash(): boolean {
    return (
      this.text.charCodeAt(this.pos) === DASH && isSpaceOrEnd(this.text.charCodeAt(this.pos + 1))
    );
  }

  /** `---` alone at the start of a line (a `...` end marker is outside the subset). */
  private isMarker(): boolean {
    if (this.indent !== 0) return false;
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if ((c !== DASH && c !== 0x2e) || !text.startsWith(c === DASH ? '---' : '...', this.pos))
      return false;
    if (!isSpaceOrEnd(text.charCodeAt(this.pos + 3))) return false;
    if (c !== DASH) throw outside;
    return true;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw outside;
  }

  /** A block mapping whose first key is at `start` on the current line, its keys at column `indent`. */
  private mapping(open: number, indent: number, start: number): Record<string, unknown> {
    this.enter();
    const out: Record<string, unknown> = {};
    for (let at = start; ; at = this.pos) {
      const key = this.key(at);
      const text = this.text;
      let p = this.cursor;
      while (text.charCodeAt(p) === SPACE) p++;
      let anchor: string | undefined;
      if (text.charCodeAt(p) === 0x26) {
        anchor = anchorName(this.text, p + 1, this);
        p = this.cursor;
        while (text.charCodeAt(p) === SPACE) p++;
      }
      const c = text.charCodeAt(p);
      if (anchor !== undefined && c === 0x2a) throw outside; // an alias has no properties
      let value: unknown;
      if (c === LF || c === HASH || p >= text.length) {
        const keyLine = this.line;
        this.nextLine(p);
        value = this.nested(indent, keyLine);
        if (anchor !== undefined && value === null) throw outside;
      } else {
        value = this.inline(p, this.line);
        this.nextLine(this.cursor);
        if (!this.eof && this.indent > indent) throw outside; // a continuation, or an error
      }
      if (anchor !== undefined) this.anchors.set(anchor, value);
      if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__') throw outside;
      out[key] = value;
      if (this.eof || this.indent < indent || (indent === 0 && this.isMarker())) break;
      if (this.indent > indent) throw outside;
    }
    addNewSpan(this.spans, out, open, this.line);
    this.depth--;
    return out;
  }

  /** The value of `key:` with nothing after it on its line; the current line is the next content. */
  private nested(parentIndent: number, keyLine: number): unknown {
    if (this.eof || this.indent < parentIndent) return null;
    if (this.isDash()) return this.sequence(keyLine);
    if (this.indent === parentIndent) return null;
    return this.mapping(keyLine, this.indent, this.pos);
  }

  /** A block sequence whose first dash is the current line's first character. */
  private sequence(open: number): unknown[] {
    this.enter();
    const indent = this.indent;
    const text = this.text;
    const out: unknown[] = [];
    for (;;) {
      let p = this.pos + 1;
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      if (c === LF || c === HASH || p >= text.length) throw outside; // item on the next lines
      if (c === DASH && isSpaceOrEnd(text.charCodeAt(p + 1))) throw outside; // `- - x`
      if (this.isKeyAt(p)) out.push(this.mapping(this.line, p - this.lineStart, p));
      else {
        out.push(this.inline(p, this.line));
        this.nextLine(this.cursor);
      }
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent) throw outside;
      if (!this.isDash()) break; // the parent mapping's next key
    }
    addNewSpan(this.spans, out, open, this.line);
    this.depth--;
    return out;
  }

  /** A key at `at` (plain or quoted, then `:` and a space or the line's end); sets `cursor` after the colon. */
  private key(at: number): string {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === SQUOTE || c === DQUOTE) {
      const key = quoted(this.text, at, this);
      let p = this.cursor;
      while (text.charCodeAt(p) === SPACE) p++;
      if (text.charCodeAt(p) !== COLON || !isSpaceOrEnd(text.charCodeAt(p + 1))) throw outside;
      this.cursor = p + 1;
      return key;
    }
    const end = plainEnd(this.text, at, this);
    if (text.charCodeAt(this.cursor) !== COLON) throw outside;
    this.cursor++;
    const length = end - at;
    const slot =
      (length * 97 +
        text.charCodeAt(at) * 31 +
        text.charCodeAt(at + (length >> 1)) * 7 +
        text.charCodeAt(end - 1)) &
      (KEY_SLOTS - 1);
    const known = keys[slot];
    if (known !== undefined && known.length === end - at && text.startsWith(known, at))
      return known;
    const value = resolvePlain(text.slice(at, end));
    if (typeof value === 'string') keys[slot] = value;
    if (value === MERGE) throw outside;
    return typeof value === 'string' ? value : String(value);
  }

  /** Whether a key starts at `at` (a sequence item holding a compact mapping). */
  private isKeyAt(at: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === SQUOTE || c === DQUOTE) {
      const close = text.indexOf(String.fromCharCode(c), at + 1);
      const eol = text.indexOf('\n', at);
      if (close === -1 || (eol !== -1 && close > eol)) throw outside;
      let p = close + 1;
      while (text.charCodeAt(p) === SPACE) p++;
      return text.charCodeAt(p) === COLON && isSpaceOrEnd(text.charCodeAt(p + 1));
    }
    if (isIndicator(c)) return false;
    plainEnd(this.text, at, this);
    return text.charCodeAt(this.cursor) === COLON;
  }

  /** A value that starts at `p` on the current line; sets `cursor` after it. */
  private inline(p: number, line: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === SQUOTE || c === DQUOTE) return quoted(this.text, p, this);
    if (c === 0x2a) return this.alias(p + 1);
    if (c === 0x7b || c === 0x5b) return this.flow(p, line);
    const end = plainEnd(this.text, p, this);
    if (text.charCodeAt(this.cursor) === COLON) throw outside; // `a: b: c` is an error
    const value = resolvePlain(text.slice(p, end));
    if (value === MERGE) throw outside;
    return value;
  }

  /** `*name`, an anchor of this document whose node is complete. */
  private alias(at: number): unknown {
    const name = anchorName(this.text, at, this);
    if (!this.anchors.has(name)) throw outside;
    const value = this.anchors.get(name);
    if (typeof value === 'object' && value !== null && !this.spans.index.has(value)) throw outside;
    return value;
  }

  /** `{}`, `[]`, or a one-line flow sequence of scalars (`[a, "b"]`); its span is its line. */
  private flow(at: number, line: number): unknown {
    const text = this.text;
    if (text.charCodeAt(at) === 0x7b) {
      if (text.charCodeAt(at + 1) !== 0x7d) throw outside;
      const empty = {};
      addNewSpan(this.spans, empty, line, line);
      this.cursor = at + 2;
      return empty;
    }
    const out: unknown[] = [];
    let p = at + 1;
    for (;;) {
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      if (c === 0x5d) break;
      if (c === SQUOTE || c === DQUOTE) {
        out.push(quoted(this.text, p, this));
        p = this.cursor;
      } else {
        p = flowPlain(this.text, p, out);
      }
      while (text.charCodeAt(p) === SPACE) p++;
      const after = text.charCodeAt(p);
      if (after === 0x5d) break;
      if (after !== 0x2c) throw outside;
      p++;
    }
    addNewSpan(this.spans, out, line, line);
    this.cursor = p + 1;
    return out;
  }
}
