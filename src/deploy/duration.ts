import { UsageError } from '../errors.ts';

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `5m`, `1m30s`, `1h`, `500ms` (Go-style, as kubectl's --timeout) to milliseconds. */
export function parseDuration(text: string, flag = '--timeout'): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const joined = parts.map((p) => p[0]).join('');
  if (trimmed === '' || joined !== trimmed) {
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    throw new UsageError(`${flag} ${text}: not a duration (use for example 90s, 5m, 1m30s, 1h)`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] ?? 's'] ?? 1000), 0);
  if (ms <= 0) throw new UsageError(`${flag} ${text}: must be more than zero`);
  return ms;
}
