/**
 * Masking before anything reaches a prompt, pure: known Secret values (read from the cluster by
 * the caller) first, then the shared pattern table (src/secrets). Each known value becomes
 * `[secret-N]`, the same N for the same value, so the model can still say "the two keys differ".
 */
import { maskSecrets } from '../secrets/index.ts';

/** Values shorter than this are not masked as known secrets (they would mask ordinary words). */
export const minKnownSecretLength = 6;

export function maskForPrompt(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  const values = [...new Set(knownSecrets.filter((v) => v.length >= minKnownSecretLength))].sort(
    (a, b) => b.length - a.length,
  );
  values.forEach((value, i) => {
    out = out.split(value).join(`[secret-${i + 1}]`);
  });
  return maskSecrets(out);
}
