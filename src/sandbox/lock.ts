/**
 * A lock file per sandbox, so two `berth sandbox up` (or an `up` and a `down`) of the same
 * sandbox never interleave. Holds the owner's pid; a lock left by a dead process is taken over.
 */
import { readFileSync, statSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError, ErrorCode } from '../errors.ts';
import { isRunning } from './processes.ts';

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  return isRunning({ pid, command: process.execPath });
}

/** Takes the lock (waiting up to `timeoutMs`) and returns its release function. */
export async function acquireLock(path: string, timeoutMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = ownerOf(path);
    // An empty lock is one being written right now, unless it has been empty for a while.
    const stale =
      owner === undefined ? isOlderThan(path, 5_000) : owner !== process.pid && !isAlive(owner);
    if (stale) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new BerthError(
        ErrorCode.sandbox,
        `another berth process (pid ${owner ?? 'unknown'}) is starting or stopping this sandbox (lock ${path})`,
      );
    await sleep(200);
  }
}
