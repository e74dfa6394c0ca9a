import { specJsonSchema } from '../../spec/index.ts';
import type { CliCommand } from '../command.ts';
import { ExitCode } from '../io.ts';

export const schemaCommand: CliCommand = {
  name: 'schema',
  register(program, run) {
    program
      .command('schema')
      .description(
        'Print the JSON Schema of the workspace documents (for # yaml-language-server: $schema=...)',
      )
      .action(
        run((io) => {
          io.out(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
          return ExitCode.ok;
        }),
      );
  },
};
