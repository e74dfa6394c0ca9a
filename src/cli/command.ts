import type { Command } from 'commander';
import type { CliIO, ExitCode } from './io.ts';

/**
 * One CLI command: one file in src/cli/commands/, listed once in src/cli/commands/index.ts.
 * `register` adds the command (with its description, options and --help) to the program;
 * its action returns the exit code instead of exiting.
 */
export interface CliCommand {
  name: string;
  register(program: Command, run: ActionRunner): void;
}

/**
 * A command's line in the registry: its name and summary (shown by the top-level --help without
 * loading it), and how to load it when it runs.
 */
export interface CommandEntry {
  name: string;
  /** The command's description, word for word (a test compares them). */
  summary: string;
  load: () => Promise<CliCommand>;
}

/** Wraps a command's action: gives it the IO and records the exit code it returns. */
export type ActionRunner = <A extends unknown[]>(
  action: (io: CliIO, ...args: A) => Promise<ExitCode> | ExitCode,
) => (...args: A) => Promise<void>;
