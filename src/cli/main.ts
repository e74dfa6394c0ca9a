#!/usr/bin/env node
// The ES-module entry point (dist/cli/main.js in the build): every command. bin/berth.js starts
// with dist/cli/start.cjs, which answers `--version` and runs `audit` without the ES-module
// loader, and imports this file for everything else (ADR 0165). With start.cjs, the only places
// berth exits.
import { fileURLToPath } from 'node:url';
import { isVersionQuery, processIO } from './process-io.ts';
import { version } from './version.ts';

const io = processIO();
const argv = process.argv.slice(2);
// Written by `npm run build` next to dist/cli/main.js, with BERTH_RUN_KEY (a hash of its
// content) defined in main.js; neither exists when running the sources.
declare const BERTH_RUN_KEY: string | undefined;
const key = typeof BERTH_RUN_KEY === 'string' ? BERTH_RUN_KEY : undefined;
const bundled = fileURLToPath(new URL('./run.cjs', import.meta.url));
if (isVersionQuery(argv)) {
  // Answered before the command line parser loads: scripts call this often (ADR 0052).
  io.out(`${version}\n`);
} else if (argv[0] === 'audit') {
  const { runBundled, runsBundled, tuneHeapForAudit } = await import('./bundled-audit.ts');
  tuneHeapForAudit();
  if (runsBundled(argv, key, bundled, io.env)) {
    // In the build, `berth audit` runs the CommonJS bundle of run.ts with a V8 code cache: most
    // of its start-up was compiling the checks, the YAML readers and the schema tables (ADR 0052).
    process.exitCode = await runBundled(argv, io, bundled, key);
  } else {
    const { runCli } = await import('./run.ts');
    process.exitCode = await runCli(argv, io);
  }
} else {
  const { runCli } = await import('./run.ts');
  process.exitCode = await runCli(argv, io);
}
