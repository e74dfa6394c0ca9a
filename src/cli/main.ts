#!/usr/bin/env node
// The process entry point: the only place berth exits.
import type { CliIO } from './io.ts';
import { version } from './version.ts';

const io: CliIO = {
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

// A reader that stops early (`berth render | head`) closes the pipe: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE')
      process.stderr.write(`berth: cannot write output: ${error.message}\n`);
    process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : 1);
  });

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered before the command line parser loads: scripts call this often (ADR 0052).
  io.out(`${version}\n`);
} else {
  const { runCli } = await import('./run.ts');
  process.exitCode = await runCli(argv, io);
}
