/**
 * Masking before anything reaches a prompt, pure: known Secret values (read from the cluster by
 * the caller, plus berth's own) first, then the shared pattern table. The same function as the
 * notifier's and the dashboard's in `berth serve` (src/secrets/known.ts).
 */
import { maskWithKnown, minKnownSecretLength } from '../secrets/index.ts';

export { minKnownSecretLength };

export function maskForPrompt(text: string, knownSecrets: readonly string[] = []): string {
  return maskWithKnown(text, knownSecrets);
}
