import { resolve } from 'node:path';
import type { ApplyResult } from '../../deploy/events.ts';
import { formatTable, isWorkload, workloadRows } from '../../deploy/status-table.ts';
import type { KubeClient } from '../../kube/client.ts';
import { findClusterConfig } from '../../kube/kubeconfig.ts';
import type { KubeObject } from '../../model/object.ts';
import type { CliCommand } from '../command.ts';
import type { CliIO } from '../io.ts';
import { addClusterOptions, checkOutput, executeApply, type ApplyFlags } from './apply.ts';

type UpFlags = Omit<ApplyFlags, 'wait' | 'dryRun'> & { sandbox: string };

export const upCommand: CliCommand = {
  name: 'up',
  register(program, run) {
    const command = program
      .command('up [path]')
      .description(
        'Deploy a workspace and wait until it runs: uses the configured cluster, or starts the berth sandbox when none is configured; ends with a table of what runs where',
      )
      .option('--timeout <duration>', 'deadline for the apply and the wait (90s, 5m, 1h)', '5m')
      .option('-o, --output <format>', 'text or json (the ApplyResult document)', 'text')
      .option('--sandbox <name>', 'the sandbox to start when no cluster is configured', 'default')
      .option(
        '--no-force-conflicts',
        'fail on fields owned by another field manager instead of taking them over',
      );
    addClusterOptions(command).action(
      run(async (io, path: string | undefined, flags: UpFlags) => {
        const output = checkOutput(flags.output);
        const say = (line: string): void => (output === 'json' ? io.err(line) : io.out(line));
        const configured = findClusterConfig({
          ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
          env: io.env,
        });
        let kubeconfig = flags.kubeconfig;
        if (!configured) {
          say(
            'No cluster configured (no --kubeconfig, KUBECONFIG, ~/.kube/config or in-cluster account): starting the berth sandbox.\n',
          );
          // Loaded only when needed: the sandbox module pulls in heavy dependencies.
          const { startSandbox } = await import('../../sandbox/index.ts');
          const sandbox = await startSandbox({
            name: flags.sandbox,
            env: io.env,
            log: (line) => say(`  ${line}\n`),
          });
          say(
            sandbox.started
              ? `Sandbox started in ${(sandbox.elapsedMs / 1000).toFixed(1)}s (kubeconfig ${sandbox.kubeconfig}).\n`
              : `Sandbox already running (kubeconfig ${sandbox.kubeconfig}).\n`,
          );
          kubeconfig = sandbox.kubeconfig;
        }
        const { sandbox: _sandbox, ...rest } = flags;
        const applyFlags: ApplyFlags = {
          ...rest,
          wait: true,
          ...(kubeconfig ? { kubeconfig } : {}),
        };
        return executeApply(io, path ?? '.', applyFlags, (client, result) =>
          output === 'text' ? printWhatRunsWhere(io, client, result) : Promise.resolve(),
        );
      }),
    );
  },
};

/** Lists the workloads just applied and their pods, and prints the status table. */
async function printWhatRunsWhere(
  io: CliIO,
  client: KubeClient,
  result: ApplyResult,
): Promise<void> {
  const applied = result.objects.filter((o) => o.action === 'applied' && isWorkload(o));
  if (applied.length === 0) return;
  const namespaces = [...new Set(applied.map((o) => o.namespace ?? client.defaultNamespace))];
  const kinds = [...new Set(applied.map((o) => `${o.apiVersion}|${o.kind}`))];
  const workloads: KubeObject[] = [];
  const pods: KubeObject[] = [];
  await Promise.all(
    namespaces.map(async (ns) => {
      pods.push(...(await client.list('v1', 'Pod', ns)).items);
      for (const k of kinds) {
        const [apiVersion = '', kind = ''] = k.split('|');
        const { items } = await client.list(apiVersion, kind, ns);
        workloads.push(
          ...items.filter((w) =>
            applied.some(
              (a) => a.kind === kind && a.name === w.metadata.name && (a.namespace ?? '') === ns,
            ),
          ),
        );
      }
    }),
  );
  io.out(`\n${formatTable(workloadRows(workloads, pods))}`);
}
