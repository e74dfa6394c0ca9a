/**
 * The model's answer, made safe to show, pure: control characters removed, secrets masked again
 * (an echo must not leak), length capped. It stays text: nothing in it is parsed or executed.
 */
import { maskForPrompt } from './mask.ts';

export function cleanAnswer(
  raw: string,
  o: { maxChars: number; knownSecrets?: readonly string[] },
): string {
  const plain = [...raw]
    .filter((c) => isShown(c.codePointAt(0) ?? 0))
    .join('')
    .trim();
  const masked = maskForPrompt(plain, o.knownSecrets);
  return masked.length > o.maxChars ? `${masked.slice(0, o.maxChars - 1).trimEnd()}…` : masked;
}

/** Newlines and printable text; no control or bidirectional-override characters. */
function isShown(code: number): boolean {
  if (code === 10) return true;
  if (code < 32 || code === 127) return false;
  return !((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069));
}
