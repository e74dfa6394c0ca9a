import { isAbsolute, resolve } from 'node:path';
import { formatDiagnostic, InvalidInputError, UsageError, type Diagnostic } from '../../errors.ts';
import { loadWorkspace } from '../../spec/adapters/files.ts';
import type { Workspace } from '../../spec/workspace.ts';
import { workflowDiagnostics } from '../../workflow/adapters/files.ts';
import { builtinTasks } from '../../workflow/tasks/index.ts';
import type { CliCommand } from '../command.ts';
import { ExitCode } from '../io.ts';

export const validateCommand: CliCommand = {
  name: 'validate',
  register(program, run) {
    program
      .command('validate <path>')
      .description(
        'Check a workspace (a file or a folder of berth.dev/v1alpha1 documents) and report every error with file:line:column',
      )
      .option(
        '-o, --output <format>',
        'text, or json: {"valid": bool, "diagnostics": [...]}',
        'text',
      )
      .action(
        run(async (io, path: string, opts: { output: string }) => {
          if (opts.output !== 'text' && opts.output !== 'json')
            throw new UsageError(`--output must be text or json (got "${opts.output}")`);
          if (opts.output === 'text') {
            const ws = await loadChecked(inputPath(io.cwd, path));
            io.out(
              `${path}: valid (platform ${ws.platform.name}, ${ws.components.length} components, ${ws.secrets.length} secrets)\n`,
            );
            return ExitCode.ok;
          }
          try {
            const ws = await loadChecked(inputPath(io.cwd, path));
            const summary = {
              platform: ws.platform.name,
              components: ws.components.length,
              secrets: ws.secrets.length,
            };
            io.out(`${JSON.stringify({ valid: true, diagnostics: [], ...summary }, null, 2)}\n`);
            return ExitCode.ok;
          } catch (error) {
            if (!(error instanceof InvalidInputError)) throw error;
            io.out(
              `${JSON.stringify({ valid: false, diagnostics: error.diagnostics }, null, 2)}\n`,
            );
            return ExitCode.invalid;
          }
        }),
      );
  },
};

/** The path to read: kept as typed when relative to the process directory, so diagnostics name files as the user knows them. */
export function inputPath(cwd: string, path: string): string {
  return isAbsolute(path) || cwd === process.cwd() ? path : resolve(cwd, path);
}

/** The workspace, and its Workflow documents checked by src/workflow (graph, tasks, expressions). */
async function loadChecked(path: string): Promise<Workspace> {
  const [ws, workflows] = await Promise.allSettled([
    loadWorkspace(path),
    workflowDiagnostics(path, builtinTasks),
  ]);
  if (ws.status === 'rejected' && !(ws.reason instanceof InvalidInputError)) throw ws.reason;
  const seen = new Set<string>();
  const all: Diagnostic[] = [];
  for (const d of [
    ...(ws.status === 'rejected' ? (ws.reason as InvalidInputError).diagnostics : []),
    ...(workflows.status === 'fulfilled' ? workflows.value : []),
  ]) {
    const key = formatDiagnostic(d);
    if (!seen.has(key)) all.push(d);
    seen.add(key);
  }
  all.sort(
    (a, b) =>
      (a.position?.file ?? '').localeCompare(b.position?.file ?? '') ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
  if (all.length > 0 || ws.status === 'rejected') throw new InvalidInputError(all);
  return ws.value;
}
