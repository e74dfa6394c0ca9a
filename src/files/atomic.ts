/**
 * The one way berth writes user files: to a temporary sibling, then rename, so a crash or an
 * error never leaves a file or folder half-written.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// node:crypto is loaded on the first write, not at start-up (ADR 0052).
async function tempSibling(path: string): Promise<string> {
  const { randomBytes } = await import('node:crypto');
  return join(dirname(path), `.${basename(path)}.berth-${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `content` to `path` atomically (same folder temp file, then rename). */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = await tempSibling(path);
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Replaces the folder `dir` with exactly `files` (relative path → content): written into a
 * temporary sibling folder, then swapped in. The old folder is removed only after the swap.
 */
export async function writeDirAtomic(
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const temp = await tempSibling(dir);
  const old = await tempSibling(dir);
  try {
    for (const [relative, content] of files) {
      const path = join(temp, relative);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content, 'utf8');
    }
    await rename(dir, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}
