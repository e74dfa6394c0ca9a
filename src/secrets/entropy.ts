/**
 * The generic rule for secrets no format names: random-looking tokens. Shannon entropy
 * H = −Σ p(c)·log2 p(c) over the characters of a token, in bits per character.
 *
 * A random string of n characters from an alphabet of 64 cannot exceed log2(min(n, 64)) bits,
 * so a fixed threshold either misses short keys or flags long words. The threshold is relative:
 * `min(0.85 × log2(n), 4.5)`; measured on random base64, 1 % of 20-character keys and fewer of the
 * longer ones fall below it, while identifiers made of words (`ReadWriteOnceAccessMode`,
 * `KUBERNETES_SERVICE_HOST`) stay under it or are dropped by the word rule below.
 */

/** Tokens shorter than this are never reported by the generic rules. */
export const minGenericLength = 20;
/** Hex tokens shorter than this are never reported (shorter ones are ids, colours, hashes). */
export const minHexLength = 32;
/** Fraction of the relative maximum, log2(length), a base64 token must reach. */
export const relativeEntropyThreshold = 0.85;
/** Absolute cap of the base64 threshold, in bits per character. */
export const maxEntropyThreshold = 4.5;
/** Bits per character a hex token must reach (random hex: about 3.6–3.8). */
export const hexEntropyThreshold = 3.0;
/** A token whose characters are this much in lowercase runs of 3+ letters is made of words. */
export const maxWordFraction = 0.4;

export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function entropyThreshold(length: number): number {
  return Math.min(relativeEntropyThreshold * Math.log2(length), maxEntropyThreshold);
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hex = /^[0-9a-f]+$|^[0-9A-F]+$/;

function wordFraction(token: string): number {
  let inWords = 0;
  for (const run of token.match(/[a-z]{3,}/g) ?? []) inWords += run.length;
  return inWords / token.length;
}

/** Whether a base64/base64url token (not hex) looks random enough to be a key. */
export function isHighEntropyToken(token: string): boolean {
  if (token.length < minGenericLength || hex.test(token) || uuid.test(token)) return false;
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/[0-9]/.test(token)) return false;
  if (wordFraction(token) >= maxWordFraction) return false;
  return shannonEntropy(token) >= entropyThreshold(token.length);
}

const digestPrefix = /(?:sha1|sha256|sha384|sha512|md5|sha):$|@$/i;

/** Whether a hex token looks like a random key (not a digest: `sha256:…`, `@sha256:…`). */
export function isHighEntropyHex(token: string, before: string): boolean {
  if (token.length < minHexLength || !hex.test(token)) return false;
  if (digestPrefix.test(before)) return false;
  return shannonEntropy(token) >= hexEntropyThreshold;
}
