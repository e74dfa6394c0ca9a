// The file bin/berth.js runs in the build (dist/cli/start.cjs, CommonJS): `berth --version` and
// `berth audit` start without Node's ES-module loader, about 10 ms of every start-up (ADR 0165).
// Every other command line goes on to main.js, the ES-module entry with all commands. Only
// meaningful bundled: BERTH_RUN_KEY and run.cjs exist in dist/cli/ only.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isVersionQuery, processIO } from './process-io.ts';
import { version } from './version.ts';

declare const BERTH_RUN_KEY: string | undefined;
const argv = process.argv.slice(2);
const key = typeof BERTH_RUN_KEY === 'string' ? BERTH_RUN_KEY : undefined;
const runFile = join(import.meta.dirname, 'run.cjs');

async function start(): Promise<void> {
  if (isVersionQuery(argv)) {
    processIO().out(`${version}\n`);
    return;
  }
  if (argv[0] === 'audit') {
    // node:v8 and node:vm load here, not for --version.
    const { runBundled, runsBundled, tuneHeapForAudit } = await import('./bundled-audit.ts');
    if (runsBundled(argv, key, runFile, process.env)) {
      const io = processIO();
      tuneHeapForAudit();
      process.exitCode = await runBundled(argv, io, runFile, key);
      return;
    }
  }
  await import(pathToFileURL(join(import.meta.dirname, 'main.js')).href);
}

void start();
