/** How input paths are shown: relative to the working directory when inside it. Pure. */
import { isAbsolute, relative } from 'node:path';

export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  if (rel === '') return '.';
  return !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : file;
}
