/**
 * Runs a CommonJS bundle through `vm.Script` with a V8 code cache (ADR 0052), so a command's
 * start-up skips compiling the code it ran last time. Node 20 has no `module.enableCompileCache`.
 *
 * The cache lives in `${XDG_CACHE_HOME:-~/.cache}/berth/code/`, one file per bundle key (a hash
 * of the bundle's content, computed by the build) and tag (the command): a new build never reads
 * an old cache. A cache file is V8's cached data, checksummed by V8 (`--verify-snapshot-checksum`,
 * which release builds leave off); a missing, corrupt or rejected cache is ignored and rewritten
 * after the run (atomically: temporary file, then rename). Errors writing it are ignored: the
 * cache only ever saves time.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { constants, Script } from 'node:vm';

export interface CachedModule<T> {
  exports: T;
  /** Whether V8 took the compiled code from the cache. */
  fromCache: boolean;
  /** Writes the code cache when it was missing or unusable (after the run, so the functions the
   * run compiled are in it). Never throws. */
  save(): void;
}

/** `${XDG_CACHE_HOME:-~/.cache}/berth/code`, or undefined without a home folder. */
export function codeCacheDir(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  return base ? join(base, 'berth', 'code') : undefined;
}

/** Caches kept per bundle and tag (one per installed build in use). */
const KEEP = 3;

function readCache(file: string): Buffer | undefined {
  try {
    const data = readFileSync(file);
    return data.length > 0 ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads `file` (a CommonJS bundle) as `require` would, with a code cache in `cacheDir`. `key`
 * must change whenever the file's content does (the build passes a hash of it).
 */
export function requireWithCodeCache<T>(
  file: string,
  key: string,
  cacheDir: string | undefined,
  tag: string,
): CachedModule<T> {
  // V8 checksums code caches only in debug builds unless asked; with this, a corrupt cache is
  // rejected (and rewritten) instead of deserialized. Set before creating and before reading.
  setFlagsFromString('--verify-snapshot-checksum');
  const source = readFileSync(file, 'utf8');
  const cacheFile =
    cacheDir === undefined ? undefined : join(cacheDir, `${basename(file)}-${key}-${tag}.bin`);
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile);
  // The CommonJS wrapper on the first line keeps the bundle's line numbers in stack traces.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    {
      filename: file,
      ...(cachedData ? { cachedData } : {}),
      // import() of an external package (the Kubernetes client) resolves as in any module.
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  );
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (
    exports: T,
    require: NodeJS.Require,
    module: { exports: T },
    filename: string,
    dirname: string,
  ) => void;
  wrapper(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    fromCache: !fresh,
    save() {
      if (!fresh || cacheFile === undefined) return;
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      try {
        const data = script.createCachedData();
        const folder = dirname(cacheFile);
        mkdirSync(folder, { recursive: true });
        writeFileSync(temporary, data);
        renameSync(temporary, cacheFile);
        // Caches of other builds of this bundle and tag: keep the newest few (two installed
        // versions used in turn must not evict each other), delete the rest.
        const prefix = `${basename(file)}-`;
        const others = readdirSync(folder)
          .filter((name) => name.startsWith(prefix) && name.endsWith(`-${tag}.bin`))
          .map((name) => ({ path: join(folder, name), time: statSync(join(folder, name)).mtimeMs }))
          .sort((a, b) => b.time - a.time);
        for (const old of others.slice(KEEP)) rmSync(old.path, { force: true });
      } catch {
        try {
          rmSync(temporary, { force: true });
        } catch {
          // nothing more to do: the cache only ever saves time
        }
      }
    },
  };
}
