import { Option } from 'commander';
import { audit, OutputFormat } from '../../audit/audit.ts';
import type { Severity } from '../../audit/engine/types.ts';
import { addChartFlags, chartOptionsOf, type ChartFlags } from '../chart-flags.ts';
import type { CliCommand } from '../command.ts';
import type { ExitCode } from '../io.ts';

interface AuditFlags extends ChartFlags {
  format: OutputFormat;
  failOn: Severity | 'none';
  fix?: boolean;
  dryRun?: boolean;
  config?: string;
  include?: string;
  exclude?: string;
  verbose?: boolean;
  kubeVersion?: string;
  crd?: string[];
  maxFileSize?: string;
}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export const auditCommand: CliCommand = {
  name: 'audit',
  register(program, run) {
    const version = program.version() ?? '0.0.0';
    const command = program
      .command('audit')
      .description(
        'Check manifests, berth specs and Dockerfiles against hardening checks; --fix repairs what is safe to repair',
      )
      .argument(
        '[paths...]',
        'files or folders to audit (YAML, berth specs, Helm charts, kustomizations, Dockerfiles); - reads YAML from stdin',
        ['.'],
      )
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(Object.values(OutputFormat))
          .default('text'),
      )
      .addOption(
        new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe')
          .choices(['error', 'warning', 'info', 'none'])
          .default('error'),
      )
      .option('--fix', 'write the safe fixes into the files (atomically)')
      .option('--dry-run', 'with --fix: print a unified diff instead of writing')
      .option(
        '-c, --config <file>',
        'audit config file (default: .berth-audit.yaml in the working directory)',
      )
      .option('--include <ids>', 'run only these checks (comma-separated ids)')
      .option('--exclude <ids>', 'skip these checks (comma-separated ids)')
      .option('-v, --verbose', 'print the remediation under each finding (text format)')
      .option(
        '--kube-version <version>',
        'Kubernetes version the manifests are for, such as 1.30 (default: the pinned release)',
      )
      .option(
        '--crd <path>',
        'folder or file of CustomResourceDefinitions to validate custom resources against (repeatable)',
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option(
        '--max-file-size <MiB>',
        'refuse input files larger than this, in MiB (default: 64; 0: no limit)',
      );
    addChartFlags(command, { kubeVersion: false }).action(
      run(async (io, paths: string[], flags: AuditFlags): Promise<ExitCode> => {
        const outcome = await audit({
          paths,
          cwd: io.cwd,
          readStdin: () => io.readStdin(),
          env: io.env,
          chart: chartOptionsOf(flags),
          format: flags.format,
          failOn: flags.failOn,
          fix: flags.fix === true,
          dryRun: flags.dryRun === true,
          config: flags.config,
          include: list(flags.include),
          exclude: list(flags.exclude),
          colour: io.isTTY && io.env.NO_COLOR === undefined,
          verbose: flags.verbose === true,
          ...(flags.kubeVersion !== undefined ? { kubeVersion: flags.kubeVersion } : {}),
          ...(flags.crd ? { crd: flags.crd } : {}),
          ...(flags.maxFileSize !== undefined ? { maxFileSize: flags.maxFileSize } : {}),
          version,
        });
        io.out(outcome.output);
        if (outcome.note !== '')
          io.err(outcome.note.endsWith('\n') ? outcome.note : `${outcome.note}\n`);
        return outcome.exit;
      }),
    );
  },
};
