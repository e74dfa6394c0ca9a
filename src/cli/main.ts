#!/usr/bin/env node
// The process entry point: the only place berth exits.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
// Written by `npm run build` next to dist/cli/main.js, with BERTH_RUN_KEY (a hash of its
// content) defined in main.js; neither exists when running the sources.
declare const BERTH_RUN_KEY: string | undefined;
const bundled = new URL('./run.cjs', import.meta.url);
if (argv[0] === 'audit') {
  // Keep V8's young generation at its initial size instead of letting it grow to 16 MiB per
  // semi-space: the audit keeps most of what it allocates (the parsed objects), so a larger
  // nursery only raised peak memory (~122 → ~96 MB on the 5,035-object bench), not speed (ADR 0131).
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--semi-space-growth-factor=1');
}
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered before the command line parser loads: scripts call this often (ADR 0052).
  io.out(`${version}\n`);
} else if (
  argv[0] === 'audit' &&
  typeof BERTH_RUN_KEY === 'string' &&
  process.env.BERTH_CODE_CACHE !== '0' &&
  existsSync(bundled)
) {
  // In the build, `berth audit` runs the CommonJS bundle of run.ts with a V8 code cache: most of
  // its start-up was compiling the checks, the YAML readers and the schema tables (ADR 0052).
  const { requireWithCodeCache, codeCacheDir } = await import('./code-cache.ts');
  const loaded = requireWithCodeCache<typeof import('./run.ts')>(
    fileURLToPath(bundled),
    BERTH_RUN_KEY,
    codeCacheDir(process.env),
    argv[0],
  );
  process.exitCode = await loaded.exports.runCli(argv, io);
  loaded.save();
} else {
  const { runCli } = await import('./run.ts');
  process.exitCode = await runCli(argv, io);
}
