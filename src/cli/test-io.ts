import type { CliIO } from './io.ts';

/** An in-memory CliIO for tests: captures stdout and stderr, serves a fixed stdin. */
export function memoryIO(
  options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {},
) {
  const captured = { out: '', err: '' };
  const io: CliIO = {
    out: (t) => void (captured.out += t),
    err: (t) => void (captured.err += t),
    isTTY: false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    readStdin: () => Promise.resolve(options.stdin ?? ''),
  };
  return { io, captured };
}
