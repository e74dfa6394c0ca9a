/**
 * The process's side of `CliIO`, for the two entry points (main.ts, start.ts): standard streams,
 * environment and working directory, and quiet ends on a closed pipe.
 */
import type { CliIO } from './io.ts';

/** The process's streams as a `CliIO`. Call once per process: it adds the pipe handlers. */
export function processIO(): CliIO {
  // A reader that stops early (`berth render | head`) closes the pipe: stop quietly, as Unix
  // tools do.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE')
        process.stderr.write(`berth: cannot write output: ${error.message}\n`);
      process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : 1);
    });
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** `berth --version` (or `-V`) alone: answered before anything else loads (ADR 0052). */
export function isVersionQuery(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
}
