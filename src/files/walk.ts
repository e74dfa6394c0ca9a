/**
 * The one folder walk berth uses to read a user's tree (workspaces, manifests, Dockerfiles):
 * recursive, in name order (so output never depends on the filesystem), skipping hidden entries
 * and node_modules.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file below `dir` whose name `accept` takes, sorted by path segment. */
export async function listFiles(dir: string, accept: (name: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path, accept)));
    else if (accept(entry.name)) found.push(path);
  }
  return found;
}
