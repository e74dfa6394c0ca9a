import type { CliCommand } from '../command.ts';
import { ExitCode } from '../io.ts';
import { isAbsolute, resolve } from 'node:path';
import { loadWorkspace } from '../../spec/index.ts';

export const validateCommand: CliCommand = {
  name: 'validate',
  register(program, run) {
    program
      .command('validate <path>')
      .description(
        'Check a workspace (a file or a folder of berth.dev/v1alpha1 documents) and report every error with file:line:column',
      )
      .action(
        run(async (io, path: string) => {
          const ws = await loadWorkspace(inputPath(io.cwd, path));
          io.out(
            `${path}: valid (platform ${ws.platform.name}, ${ws.components.length} components, ${ws.secrets.length} secrets)\n`,
          );
          return ExitCode.ok;
        }),
      );
  },
};

/** The path to read: kept as typed when relative to the process directory, so diagnostics name files as the user knows them. */
export function inputPath(cwd: string, path: string): string {
  return isAbsolute(path) || cwd === process.cwd() ? path : resolve(cwd, path);
}
