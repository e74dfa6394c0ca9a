/**
 * Reads workflow files: one file, or every `.yaml`/`.yml` under a folder (the workspace's
 * `workflows/`). Throws InvalidInputError with every diagnostic.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidInputError, type Diagnostic } from '../../errors.ts';
import { listFiles } from '../../files/walk.ts';
import { parseYamlStream } from '../../yaml/stream.ts';
import { parseWorkflows } from '../load.ts';
import type { Workflow } from '../model.ts';
import type { TaskDefinition } from '../tasks/types.ts';

export async function loadWorkflowFiles(
  path: string,
  tasks: readonly TaskDefinition[],
): Promise<Workflow[]> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InvalidInputError(
      [{ message: `cannot read ${path}: ${error.code ?? error.message}` }],
      {
        cause: error,
      },
    );
  });
  const files = info.isDirectory() ? await listFiles(path, (n) => /\.ya?ml$/.test(n)) : [path];
  const streams = await Promise.all(
    files.map(async (f) => parseYamlStream(await readFile(f, 'utf8'), f)),
  );
  const { workflows, diagnostics } = parseWorkflows(streams, tasks);
  if (diagnostics.length > 0) throw new InvalidInputError(diagnostics);
  return workflows;
}

/**
 * Finds a workflow by file path, or by name in `<workspace>/workflows/`. Returns it with the
 * absolute workspace folder its tasks read (spec.workspace, relative to the file).
 */
export async function findWorkflow(
  ref: string,
  cwd: string,
  tasks: readonly TaskDefinition[],
): Promise<{ workflow: Workflow; workspace: string }> {
  const asPath = resolve(cwd, ref);
  const isFile = await stat(asPath).then(
    (s) => s.isFile(),
    () => false,
  );
  const candidates = isFile ? [asPath] : [join(cwd, 'workflows'), cwd];
  for (const c of candidates) {
    const exists = await stat(c).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    const all = await loadWorkflowFiles(c, tasks);
    const wf = isFile
      ? all[0]
      : all.find((w) => w.name === ref || basename(w.file ?? '').replace(/\.ya?ml$/, '') === ref);
    if (wf)
      return { workflow: wf, workspace: resolve(dirname(wf.file ?? asPath), wf.spec.workspace) };
  }
  throw new InvalidInputError([
    {
      message: `no workflow ${ref}`,
      hint: 'give a workflow file, or a name found in ./workflows/',
    },
  ]);
}

/**
 * The diagnostics of every Workflow document under `path` (a workspace file or folder), for
 * `berth validate`: syntax errors and the absence of workflows are the workspace loader's to report.
 */
export async function workflowDiagnostics(
  path: string,
  tasks: readonly TaskDefinition[],
): Promise<Diagnostic[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  const files = info.isDirectory() ? await listFiles(path, (n) => /\.ya?ml$/.test(n)) : [path];
  const streams = await Promise.all(
    files.map(async (f) => ({ ...parseYamlStream(await readFile(f, 'utf8'), f), diagnostics: [] })),
  );
  const { workflows, diagnostics } = parseWorkflows(streams, tasks);
  return workflows.length === 0 &&
    diagnostics.length === 1 &&
    diagnostics[0]?.position === undefined
    ? []
    : diagnostics;
}
