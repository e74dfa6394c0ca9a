/**
 * Finding and masking secrets in free text with the pattern table. Pure: text in, positions or
 * masked text out. The secret itself is never part of what `findSecrets` returns.
 */
import { secretPatterns, type SecretPattern } from './patterns.ts';

export interface SecretMatch {
  /** The id of the pattern (`github-token`, `generic-high-entropy`, …). */
  id: string;
  /** Offsets of the secret in the text, end exclusive (UTF-16 code units). */
  start: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
}

export interface FindOptions {
  /** Pattern ids to leave out (for example `generic-hex` where commit ids are expected). @default none */
  exclude?: readonly string[];
  /** The table to use. @default secretPatterns */
  patterns?: readonly SecretPattern[];
}

/**
 * Public material that looks random but is not secret: certificates, public keys, SSH public
 * keys. Text inside them is never reported (by the generic rules or any other).
 */
const publicMaterial = [
  /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|TRUSTED CERTIFICATE|PGP PUBLIC KEY BLOCK)-----[\s\S]*?-----END [A-Z0-9 ]+-----/g,
  /\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/]+={0,2}/g,
];

/** Every secret in `text`, in order, never overlapping (the earlier table entry wins). */
export function findSecrets(text: string, options: FindOptions = {}): SecretMatch[] {
  const exclude = new Set(options.exclude ?? []);
  const spans: { id: string; start: number; end: number }[] = [];
  // Taken ranges (public material and secrets found), sorted by start and never overlapping,
  // so an overlap test is a binary search: linear-logarithmic in the matches, not quadratic.
  const taken: { start: number; end: number }[] = [];
  const firstEndingAfter = (start: number): number => {
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((taken[mid]?.end ?? 0) <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const overlaps = (start: number, end: number): boolean => {
    const next = taken[firstEndingAfter(start)];
    return next !== undefined && next.start < end;
  };
  const take = (start: number, end: number): void => {
    taken.splice(firstEndingAfter(start), 0, { start, end });
  };
  for (const re of publicMaterial)
    for (const m of text.matchAll(re))
      if (!overlaps(m.index, m.index + m[0].length)) take(m.index, m.index + m[0].length);
  for (const pattern of options.patterns ?? secretPatterns) {
    if (exclude.has(pattern.id)) continue;
    const regex = new RegExp(pattern.regex.source, withFlags(pattern.regex.flags));
    for (const m of text.matchAll(regex)) {
      const range = m.indices?.groups?.secret ?? m.indices?.[0];
      if (!range || range[1] <= range[0]) continue;
      const [start, end] = range;
      if (overlaps(start, end)) continue;
      const value = text.slice(start, end);
      if (pattern.accept && !pattern.accept(value, text.slice(Math.max(0, start - 8), start)))
        continue;
      spans.push({ id: pattern.id, start, end });
      take(start, end);
    }
  }
  spans.sort((a, b) => a.start - b.start);
  // Lines and columns in one pass over the text (the spans are sorted).
  let line = 1;
  let lineStart = 0;
  let at = 0;
  return spans.map((span) => {
    for (
      let i = text.indexOf('\n', at);
      i !== -1 && i < span.start;
      i = text.indexOf('\n', i + 1)
    ) {
      line++;
      lineStart = i + 1;
    }
    at = lineStart;
    return { ...span, line, column: span.start - lineStart + 1 };
  });
}

export interface MaskOptions extends FindOptions {
  /** The replacement for one secret. @default `[redacted:<id>]` */
  replacement?: (id: string) => string;
}

/** `text` with every secret replaced (by `[redacted:<id>]` unless told otherwise). */
export function maskSecrets(text: string, options: MaskOptions = {}): string {
  const matches = findSecrets(text, options);
  if (matches.length === 0) return text;
  const replace = options.replacement ?? ((id: string) => `[redacted:${id}]`);
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + replace(m.id);
    at = m.end;
  }
  return out + text.slice(at);
}

/** Whether `text` holds any secret. */
export function hasSecret(text: string, options: FindOptions = {}): boolean {
  return findSecrets(text, options).length > 0;
}

function withFlags(flags: string): string {
  let out = flags;
  for (const f of ['g', 'd']) if (!out.includes(f)) out += f;
  return out;
}
