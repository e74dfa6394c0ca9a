/**
 * `berth audit` in the build: `dist/cli/run.cjs` (run.ts as one CommonJS file, only the audit
 * command loadable in it) run through `vm.Script` with a V8 code cache (ADR 0052, 0165). Both
 * entry points use it: start.cjs (what bin/berth.js runs) and main.js.
 */
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { codeCacheDir, requireWithCodeCache } from './code-cache.ts';
import type { CliIO, ExitCode } from './io.ts';

/**
 * Keeps V8's young generation at its initial size instead of letting it grow to 16 MiB per
 * semi-space: the audit keeps most of what it allocates (the parsed objects), so a larger nursery
 * only raised peak memory (~122 → ~96 MB on the 5,035-object bench), not speed (ADR 0131).
 */
export function tuneHeapForAudit(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Whether this command line runs from run.cjs: an `audit`, a build (the build defines `key`, a
 * hash of run.cjs), `BERTH_CODE_CACHE` not `0`, and the file present.
 */
export function runsBundled(
  argv: readonly string[],
  key: string | undefined,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): key is string {
  return (
    argv[0] === 'audit' &&
    typeof key === 'string' &&
    env.BERTH_CODE_CACHE !== '0' &&
    existsSync(file)
  );
}

/** Runs `argv` with run.cjs (`file`, content hash `key`) from its code cache; saves the cache. */
export async function runBundled(
  argv: readonly string[],
  io: CliIO,
  file: string,
  key: string,
): Promise<ExitCode> {
  const loaded = requireWithCodeCache<typeof import('./run.ts')>(
    file,
    key,
    codeCacheDir(io.env),
    argv[0] ?? 'audit',
  );
  const code = await loaded.exports.runCli(argv, io);
  loaded.save();
  return code;
}
