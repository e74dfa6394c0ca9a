/**
 * Runs a CommonJS bundle through `vm.Script` with a V8 code cache (ADR 0052), so a command's
 * start-up skips compiling the code it ran last time. Node 20 has no `module.enableCompileCache`.
 *
 * The cache lives in `${XDG_CACHE_HOME:-~/.cache}/berth/code/`, one file per bundle key (a hash
 * of the bundle's content, computed by the build) and tag (the command): a new build never reads
 * an old cache. A cache file is a checksum of its payload followed by V8's cached data (V8 itself
 * checks only versions, flags and lengths in release builds); a missing, short, corrupt or
 * rejected cache is ignored and rewritten after the run (atomically: temporary file, then
 * rename). Errors writing it are ignored: the cache only ever saves time. No node:crypto: its
 * first use costs more start-up than the whole check.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
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

/** A 32-bit multiply-xor checksum (FNV-1a over 32-bit words, then the tail bytes), in 4 bytes. */
export function checksum(data: Uint8Array): Buffer {
  let hash = 0x811c9dc5;
  const words = Math.floor(data.length / 4);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < words; i++) hash = Math.imul(hash ^ view.getUint32(i * 4, true), 0x01000193);
  for (let i = words * 4; i < data.length; i++) hash = Math.imul(hash ^ (data[i] ?? 0), 0x01000193);
  const out = Buffer.alloc(4);
  out.writeUInt32LE(hash >>> 0);
  return out;
}

function readCache(file: string): Buffer | undefined {
  try {
    const data = readFileSync(file);
    if (data.length <= 4) return undefined;
    const payload = data.subarray(4);
    return checksum(payload).equals(data.subarray(0, 4)) ? payload : undefined;
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
        writeFileSync(temporary, Buffer.concat([checksum(data), data]));
        renameSync(temporary, cacheFile);
        // Caches of earlier builds of this bundle and tag are never read again.
        const prefix = `${basename(file)}-`;
        for (const name of readdirSync(folder))
          if (
            name.startsWith(prefix) &&
            name.endsWith(`-${tag}.bin`) &&
            name !== basename(cacheFile)
          )
            rmSync(join(folder, name), { force: true });
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
