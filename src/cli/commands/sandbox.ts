import type { Command } from 'commander';
import { parseDurationFlag } from '../duration-flag.ts';
import { ensurePrograms } from '../../sandbox/binaries.ts';
import type { SandboxStatus } from '../../sandbox/index.ts';
import { sandboxPaths } from '../../sandbox/paths.ts';
import { sandboxVersions } from '../../sandbox/versions.ts';
import type { ActionRunner, CliCommand } from '../command.ts';
import { ExitCode, type CliIO } from '../io.ts';

// The sandbox's lifecycle and provisioner load @kubernetes/client-node (about a second of start-up);
// they are imported when a sandbox command runs, not whenever any berth command starts.
const sandboxApi = () => import('../../sandbox/index.ts');

interface NameOption {
  name: string;
}

function withName(command: Command): Command {
  return command.option(
    '--name <name>',
    'which sandbox (each has its own folder and ports)',
    'default',
  );
}

function formatStatus(status: SandboxStatus): string {
  const rows = status.components.map((c) =>
    [
      c.component.padEnd(24),
      c.state.padEnd(10),
      String(c.pid ?? '-').padEnd(8),
      c.endpoint ?? '-',
    ].join(' '),
  );
  const details = status.components
    .filter((c) => c.state !== 'running')
    .map((c) => `  ${c.component}: ${c.detail ?? 'not running'} (log: ${c.log})`);
  return [
    `sandbox "${status.name}" (Kubernetes ${status.kubernetesVersion}): ${status.running ? 'running' : 'not running'}`,
    `${'COMPONENT'.padEnd(24)} ${'STATE'.padEnd(10)} ${'PID'.padEnd(8)} ENDPOINT`,
    ...rows,
    ...(details.length > 0 ? ['', ...details] : []),
    '',
    `kubeconfig: ${status.kubeconfig}`,
    `run folder: ${status.runDir}`,
    `programs:   ${status.binDir}`,
    '',
  ].join('\n');
}

function registerUp(sandbox: Command, run: ActionRunner) {
  withName(sandbox.command('up'))
    .description('start the sandbox cluster (builds its programs on first use); idempotent')
    .option('--no-build', 'fail instead of building the programs when the cache lacks them')
    .option('--timeout <duration>', 'deadline for the start once built', '120s')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(
      run(
        async (
          io: CliIO,
          opts: NameOption & { build: boolean; timeout: string; output: string },
        ) => {
          const { startSandbox } = await sandboxApi();
          const result = await startSandbox({
            name: opts.name,
            build: opts.build,
            timeoutMs: parseDurationFlag(opts.timeout),
            env: io.env,
            log: (line) => io.err(`${line}\n`),
          });
          if (opts.output === 'json') io.out(`${JSON.stringify(result)}\n`);
          else {
            io.out(
              result.started
                ? `sandbox "${opts.name}" started in ${(result.elapsedMs / 1000).toFixed(1)} s\n`
                : `sandbox "${opts.name}" is already running\n`,
            );
            io.out(`kubeconfig: ${result.kubeconfig}\n  export KUBECONFIG=${result.kubeconfig}\n`);
          }
          return ExitCode.ok;
        },
      ),
    );
}

function registerDown(sandbox: Command, run: ActionRunner) {
  withName(sandbox.command('down'))
    .description('stop every process of the sandbox (and verify none is left)')
    .option('--purge', 'also delete its run folder: etcd data, certificates, logs', false)
    .action(
      run(async (io: CliIO, opts: NameOption & { purge: boolean }) => {
        const { stopSandbox } = await sandboxApi();
        await stopSandbox({
          name: opts.name,
          purge: opts.purge,
          env: io.env,
          log: (l) => io.err(`${l}\n`),
        });
        io.out(`sandbox "${opts.name}" stopped${opts.purge ? ' and purged' : ''}\n`);
        return ExitCode.ok;
      }),
    );
}

function registerStatus(sandbox: Command, run: ActionRunner) {
  withName(sandbox.command('status'))
    .description('report each component of the sandbox (exit code 1 when not fully running)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(
      run(async (io: CliIO, opts: NameOption & { output: string }) => {
        const { sandboxStatus } = await sandboxApi();
        const status = await sandboxStatus({ name: opts.name, env: io.env });
        io.out(
          opts.output === 'json' ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status),
        );
        return status.running ? ExitCode.ok : ExitCode.problems;
      }),
    );
}

function registerKubeconfig(sandbox: Command, run: ActionRunner) {
  withName(sandbox.command('kubeconfig'))
    .description("print the path of the sandbox's admin kubeconfig")
    .action(
      run(async (io: CliIO, opts: NameOption) => {
        const { sandboxKubeconfigPath } = await sandboxApi();
        io.out(`${sandboxKubeconfigPath({ name: opts.name, env: io.env })}\n`);
        return ExitCode.ok;
      }),
    );
}

function registerBuild(sandbox: Command, run: ActionRunner) {
  sandbox
    .command('build')
    .description('build the sandbox programs into the cache now (done by `up` when needed)')
    .action(
      run(async (io: CliIO) => {
        const { binDir } = sandboxPaths({
          name: 'default',
          kubernetesVersion: sandboxVersions().kubernetes,
          env: io.env,
        });
        await ensurePrograms({ binDir, build: true, env: io.env, log: (l) => io.err(`${l}\n`) });
        io.out(`${binDir}\n`);
        return ExitCode.ok;
      }),
    );
}

function registerProvisioner(sandbox: Command, run: ActionRunner) {
  sandbox
    .command('provisioner', { hidden: true })
    .description('run the sandbox volume provisioner (started by `berth sandbox up`)')
    .requiredOption('--kubeconfig <path>', 'kubeconfig of the provisioner identity')
    .option('--health-port <port>', 'loopback port for /healthz', '0')
    .action(
      run(async (io: CliIO, opts: { kubeconfig: string; healthPort: string }) => {
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
        const { runProvisioner } = await import('../../sandbox/provisioner/run.ts');
        try {
          await runProvisioner({
            kubeconfig: opts.kubeconfig,
            healthPort: Number(opts.healthPort),
            signal: stop.signal,
            log: (line) => io.err(`${new Date().toISOString()} ${line}\n`),
          });
        } finally {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
        }
        return ExitCode.ok;
      }),
    );
}

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  register(program, run) {
    const sandbox = program
      .command('sandbox')
      .description(
        'a local Kubernetes control plane without a container runtime, for tests and demos (see docs/sandbox.md)',
      );
    registerUp(sandbox, run);
    registerDown(sandbox, run);
    registerStatus(sandbox, run);
    registerKubeconfig(sandbox, run);
    registerBuild(sandbox, run);
    registerProvisioner(sandbox, run);
  },
};
