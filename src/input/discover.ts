/**
 * The walk over what the user named: files, and folders searched recursively in name order
 * (hidden entries and node_modules skipped). A folder holding `Chart.yaml` is a chart and a folder
 * holding a kustomization is a kustomization: each is one entry, never walked file by file. A
 * kustomization that another one found in the same walk builds on is a base, not built on its own.
 */
import { existsSync, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidInputError } from '../errors.ts';
import {
  chartFile,
  folderKind,
  isDockerfileName,
  isYamlName,
  kustomizationFiles,
} from './classify.ts';

export type Entry =
  | { kind: 'yaml'; path: string }
  | { kind: 'dockerfile'; path: string }
  | { kind: 'chart'; path: string }
  | { kind: 'kustomization'; path: string }
  /** A file of a chart's templates/ folder named on its own: it must be rendered with its chart. */
  | { kind: 'template'; path: string; chart: string };

/** The chart a templates/ folder (or a file below one) belongs to, if any. */
export function chartOfTemplate(path: string): string | undefined {
  for (let dir = path; dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'templates' && existsSync(join(dirname(dir), chartFile)))
      return dirname(dir);
  }
  return undefined;
}

/** The entries below `path` (absolute); `shown` is how the user wrote it, for the error. */
export async function discover(path: string, shown = path): Promise<Entry[]> {
  // `node:fs` (sync), not `node:fs/promises`: loading that module cost a one-file audit more
  // start-up than the calls themselves (ADR 0165).
  let info: Stats;
  try {
    info = statSync(path);
  } catch (error) {
    throw new InvalidInputError([{ message: `${shown}: no such file or folder` }], {
      cause: error,
    });
  }
  const chart = chartOfTemplate(info.isDirectory() ? path : dirname(path));
  if (!info.isDirectory()) {
    const name = basename(path);
    if (name === chartFile) return [{ kind: 'chart', path: dirname(path) }];
    if (kustomizationFiles.includes(name)) return [{ kind: 'kustomization', path: dirname(path) }];
    if (path.endsWith('.tgz')) return [{ kind: 'chart', path }];
    if (chart) return [{ kind: 'template', path, chart }];
    if (isDockerfileName(name)) return [{ kind: 'dockerfile', path }];
    return [{ kind: 'yaml', path }];
  }
  const entries: Entry[] = [];
  await walk(path, chart, entries);
  return dropBases(entries);
}

async function walk(dir: string, chart: string | undefined, out: Entry[]): Promise<void> {
  const entries = readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (!chart) {
    const kind = folderKind(entries.filter((e) => e.isFile()).map((e) => e.name));
    if (kind !== 'plain') {
      out.push({ kind, path: dir });
      return;
    }
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, chart, out);
    else if (chart && isYamlName(entry.name)) out.push({ kind: 'template', path, chart });
    else if (isYamlName(entry.name)) out.push({ kind: 'yaml', path });
    else if (isDockerfileName(entry.name)) out.push({ kind: 'dockerfile', path });
  }
}

/** Kustomizations referenced by another one of the walk are its bases: built through it only. */
async function dropBases(entries: Entry[]): Promise<Entry[]> {
  const folders = entries.filter((e) => e.kind === 'kustomization').map((e) => e.path);
  if (folders.length < 2) return entries;
  const { referencedFolders } = await import('./kustomize.ts');
  const referenced = new Set((await Promise.all(folders.map(referencedFolders))).flat());
  return entries.filter((e) => e.kind !== 'kustomization' || !referenced.has(e.path));
}
