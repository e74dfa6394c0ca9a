import { UsageError } from '../errors.ts';
import { parseDuration } from '../model/duration.ts';

/**
 * A positive Go-style duration flag (`90s`, `5m`, `1m30s`, `500ms`, `1h`) in milliseconds, as
 * kubectl's `--timeout` reads it. Anything else is a usage error naming the flag.
 */
export function parseDurationFlag(text: string, flag = '--timeout'): number {
  const ms = parseDuration(text.trim());
  if (ms === undefined)
    throw new UsageError(`${flag} ${text}: not a duration (use for example 90s, 5m, 1m30s, 1h)`);
  if (ms <= 0) throw new UsageError(`${flag} ${text}: must be more than zero`);
  return ms;
}
