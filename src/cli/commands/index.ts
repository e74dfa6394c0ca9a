// Every CLI command, one line each. Adding a command: a file in this folder and a line here.
import type { CliCommand } from '../command.ts';
import { auditCommand } from './audit.ts';
import { applyCommand } from './apply.ts';
import { renderCommand } from './render.ts';
import { sandboxCommand } from './sandbox.ts';
import { schemaCommand } from './schema.ts';
import { upCommand } from './up.ts';
import { validateCommand } from './validate.ts';

export const commands: readonly CliCommand[] = [
  validateCommand,
  renderCommand,
  schemaCommand,
  sandboxCommand,
  auditCommand,
  applyCommand,
  upCommand,
];
