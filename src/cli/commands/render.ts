import { resolve } from 'node:path';
import { inputPath } from './validate.ts';
import { writeDirAtomic } from '../../files/atomic.ts';
import { renderComponents, renderToFolder, toYamlStream } from '../../render/index.ts';
import { loadWorkspace } from '../../spec/adapters/files.ts';
import type { CliCommand } from '../command.ts';
import { ExitCode } from '../io.ts';

export const renderCommand: CliCommand = {
  name: 'render',
  register(program, run) {
    program
      .command('render <path>')
      .description(
        'Render a workspace to hardened Kubernetes objects: a YAML stream on stdout, or a folder per component with -o',
      )
      .option(
        '-o, --output-dir <dir>',
        'write <component>/k8s/*.yaml and kustomization.yaml files into DIR (replaced atomically)',
      )
      .action(
        run(async (io, path: string, opts: { outputDir?: string }) => {
          const rendered = renderComponents(await loadWorkspace(inputPath(io.cwd, path)));
          if (opts.outputDir === undefined) {
            io.out(toYamlStream(rendered.map((r) => r.object)));
            return ExitCode.ok;
          }
          const files = renderToFolder(rendered);
          await writeDirAtomic(resolve(io.cwd, opts.outputDir), files);
          io.err(`wrote ${rendered.length} objects in ${files.size} files to ${opts.outputDir}\n`);
          return ExitCode.ok;
        }),
      );
  },
};
