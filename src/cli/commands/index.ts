// Every CLI command, one line each. Adding a command: a file in this folder and a line here.
import type { CliCommand } from '../command.ts';

export const commands: readonly CliCommand[] = [];
