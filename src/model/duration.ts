/**
 * Durations written the Go way (`time.ParseDuration`, what kubectl's `--timeout` and every
 * `metav1.Duration` field accept): a sequence of decimal numbers, each with a unit, such as
 * `300ms`, `1.5h`, `1m30s` or `2h45m`. Units: ns, us (µs), ms, s, m, h. A lone `0` needs no
 * unit; any other number does. A leading sign is allowed.
 */

const unitMs: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const DURATION = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** The duration in milliseconds, or undefined when `text` is not a Go duration. */
export function parseDuration(text: string): number | undefined {
  if (/^[+-]?0$/.test(text)) return 0;
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, number, unit] of text.matchAll(PART))
    ms += Number(number) * (unitMs[unit ?? ''] ?? 0);
  return text.startsWith('-') ? -ms : ms;
}

/** A non-negative Go duration as a regular expression, for JSON Schema `pattern`s. */
export const durationPattern = '^(((\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+|0)$';
