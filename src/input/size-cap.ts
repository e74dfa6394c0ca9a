/**
 * The size cap of one input file (docs/audit.md "Bad and very large input"): a file larger than
 * the cap is refused before it is read, with its name, instead of costing minutes of CPU and
 * gigabytes of memory. Pure.
 */
import { InvalidInputError } from '../errors.ts';

const mib = 1024 * 1024;

/** 64 MiB: above the largest real manifest bundles, below what parses in a few seconds. */
export const defaultMaxFileBytes = 64 * mib;

/**
 * Reads `--max-file-size <MiB>`: a non-negative number of MiB (fractions allowed), 0 for no
 * limit; undefined when the text is not one.
 */
export function parseMaxFileSize(text: string): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) return undefined;
  return Math.round(Number(text) * mib);
}

function inMib(bytes: number): string {
  const value = bytes / mib;
  return value >= 10 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 3);
}

/** Throws InvalidInputError (exit 2) naming `file` when `bytes` is over `max` (0: no limit). */
export function checkFileSize(
  file: string,
  bytes: number,
  max: number = defaultMaxFileBytes,
): void {
  if (max === 0 || bytes <= max) return;
  throw new InvalidInputError([
    {
      position: { file, line: 1, column: 1 },
      message: `the file is ${inMib(bytes)} MiB, over the ${inMib(max)} MiB limit for one input file`,
      hint: 'split it, or raise the limit with --max-file-size <MiB> (0: no limit)',
    },
  ]);
}
