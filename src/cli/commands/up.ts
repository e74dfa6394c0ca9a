import { resolve } from 'node:path';
import type { ApplyResult } from '../../deploy/events.ts';
import { formatTable, isWorkload, workloadRows } from '../../deploy/status-table.ts';
import type { KubeApi } from '../../kube/api.ts';
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
        return executeApply(io, path ?? '.', applyFlags, (api, result, observed) =>
          output === 'text' ? printWhatRunsWhere(io, api, result, observed) : Promise.resolve(),
        );
      }),
    );
  },
};

/**
 * Prints the status table of the workloads just applied, from what the wait's informers last
 * saw; lists the cluster only when nothing was awaited (everything was ready at once).
 */
async function printWhatRunsWhere(
  io: CliIO,
  api: KubeApi,
  result: ApplyResult,
  observed: readonly KubeObject[],
): Promise<void> {
  const applied = result.objects.filter((o) => o.action === 'applied' && isWorkload(o));
  if (applied.length === 0) return;
  const isApplied = (w: KubeObject): boolean =>
    applied.some(
      (a) =>
        a.kind === w.kind &&
        a.name === w.metadata.name &&
        (a.namespace ?? '') === (w.metadata.namespace ?? ''),
    );
  let workloads = observed.filter((o) => isWorkload(o) && isApplied(o));
  let pods = observed.filter((o) => o.kind === 'Pod');
  if (workloads.length < applied.length) {
    const bounds = { deadline: Date.now() + 10_000 };
    const namespaces = [...new Set(applied.map((o) => o.namespace ?? api.defaultNamespace))];
    const kinds = [...new Set(applied.map((o) => `${o.apiVersion}|${o.kind}`))];
    workloads = [];
    pods = [];
    for (const namespace of namespaces) {
      pods.push(...(await api.list({ apiVersion: 'v1', kind: 'Pod', namespace }, bounds)).items);
      for (const k of kinds) {
        const [apiVersion = '', kind = ''] = k.split('|');
        const { items } = await api.list({ apiVersion, kind, namespace }, bounds);
        workloads.push(...items.filter(isApplied));
      }
    }
  }
  io.out(`\n${formatTable(workloadRows(workloads, pods))}`);
}
