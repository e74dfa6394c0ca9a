/**
 * Reads a workspace from one file or a folder tree of `.yaml`/`.yml` files (hidden entries skipped,
 * files in name order), validates it, and throws `InvalidInputError` with every diagnostic.
 */
import { readFile, stat } from 'node:fs/promises';
import { InvalidInputError } from '../../errors.ts';
import { listFiles } from '../../files/walk.ts';
import { parseYamlStream, type YamlStream } from '../../yaml/stream.ts';
import { validateWorkspace, type Workspace } from '../workspace.ts';

export async function loadWorkspace(path: string): Promise<Workspace> {
  const files = await listYamlFiles(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'EACCES' || error.code === 'ENOTDIR')
      throw new InvalidInputError(
        [
          {
            message: `cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file or folder' : error.code}`,
          },
        ],
        { cause: error },
      );
    throw error;
  });
  if (files.length === 0)
    throw new InvalidInputError([
      {
        message: `no .yaml or .yml files in ${path}`,
        hint: 'point berth at a workspace file or folder',
      },
    ]);
  const streams: YamlStream[] = [];
  for (const file of files) streams.push(parseYamlStream(await readFile(file, 'utf8'), file));
  const { workspace, diagnostics } = validateWorkspace(streams);
  if (!workspace || diagnostics.length > 0) throw new InvalidInputError(diagnostics);
  return workspace;
}

async function listYamlFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  return listFiles(path, (name) => /\.ya?ml$/.test(name));
}
