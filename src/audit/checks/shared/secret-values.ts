/** Which secret formats a value holds, by the shared table (src/secrets), never the value itself. */
import { findSecrets } from '../../../secrets/index.ts';

/**
 * Pattern ids of the secrets in `value`, deduplicated, in order. `generic-hex` is left out:
 * commit ids and checksums in configuration are hex too.
 */
export function secretKindsIn(value: unknown): string[] {
  if (typeof value !== 'string' || value.length < 8) return [];
  const ids = findSecrets(value, { exclude: ['generic-hex'] }).map((m) => m.id);
  return ids.filter((id, i) => ids.indexOf(id) === i);
}
