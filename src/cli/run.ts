import { Command, CommanderError } from 'commander';
import { BerthError, ErrorCode, InvalidInputError } from '../errors.ts';
import type { ActionRunner } from './command.ts';
import { commands } from './commands/index.ts';
import { ExitCode, type CliIO } from './io.ts';
import { version } from './version.ts';

export { version } from './version.ts';

/**
 * Builds the program. Commands named in `load` (default: all) are loaded and registered in full;
 * the others are listed by name and summary only, so `berth --version`, `berth --help` and one
 * command's run load nothing else. Exported for the help/docs meta-tests.
 */
export async function buildProgram(
  io: CliIO,
  onExit: (code: ExitCode) => void,
  load: (name: string) => boolean = () => true,
): Promise<Command> {
  const program = new Command('berth')
    .description('Declare, ship and keep alive a self-hosted AI-agent platform on Kubernetes.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const run: ActionRunner =
    (action) =>
    async (...args) => {
      onExit(await action(io, ...args));
    };
  for (const entry of commands) {
    if (load(entry.name)) (await entry.load()).register(program, run);
    else program.command(entry.name).description(entry.summary);
  }
  for (const sub of program.commands) sub.exitOverride().showHelpAfterError();
  return program;
}

/** Runs one command line and returns the exit code. Never throws, never exits the process. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  try {
    const wanted = commandOf(argv);
    const program = await buildProgram(
      io,
      (c) => (code = c),
      (name) => name === wanted,
    );
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    return reportError(error, io);
  }
}

/** The command a command line runs (`berth help audit` runs audit's help), if any. */
function commandOf(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

function reportError(error: unknown, io: CliIO): ExitCode {
  if (error instanceof CommanderError) {
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return benign.includes(error.code) || error.exitCode === 0 ? ExitCode.ok : ExitCode.invalid;
  }
  if (error instanceof InvalidInputError) {
    io.err(`${error.message}\n${plural(error.diagnostics.length, 'error')} found.\n`);
    return ExitCode.invalid;
  }
  if (error instanceof BerthError) {
    io.err(`error: ${error.message}\n`);
    return error.code === ErrorCode.usage || error.code === ErrorCode.invalidInput
      ? ExitCode.invalid
      : ExitCode.problems;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`internal error: ${message}\n(this is a bug in berth; BERTH_DEBUG=1 prints the stack)\n`);
  if (io.env.BERTH_DEBUG === '1' && error instanceof Error && error.stack)
    io.err(`${error.stack}\n`);
  return ExitCode.problems;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
