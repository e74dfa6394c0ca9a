/**
 * The `helm template` pass-through flags of the commands that read inputs (`audit`, `apply`):
 * they apply to every Helm chart in the input (docs/audit.md "Helm charts").
 */
import type { Command } from 'commander';
import type { ChartOptions } from '../input/index.ts';

export interface ChartFlags {
  release?: string;
  namespace?: string;
  values?: string[];
  set?: string[];
  kubeVersion?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/**
 * Adds the flags. `kubeVersion: false` leaves `--kube-version` to the command itself (audit has its
 * own, the Kubernetes version the manifests are for; its value reaches Helm all the same).
 */
export function addChartFlags(command: Command, options: { kubeVersion?: boolean } = {}): Command {
  command
    .option(
      '--release <name>',
      "release name: for Helm charts (default: the chart name), and for apply/diff the berth release the objects ship as (default: a spec's Platform)",
    )
    .option(
      '-n, --namespace <namespace>',
      "release namespace: Helm charts' .Release.Namespace, and for apply/diff where the berth release is recorded",
    )
    .option('--values <file>', 'Helm charts: a values file (repeatable; later ones win)', collect)
    .option('--set <key=value>', 'Helm charts: set a value (repeatable)', collect);
  if (options.kubeVersion !== false)
    command.option('--kube-version <version>', 'Helm charts: Kubernetes version for .Capabilities');
  return command;
}

export function chartOptionsOf(flags: ChartFlags): ChartOptions {
  const options: ChartOptions = {};
  if (flags.release !== undefined) options.release = flags.release;
  if (flags.namespace !== undefined) options.namespace = flags.namespace;
  if (flags.values !== undefined) options.values = flags.values;
  if (flags.set !== undefined) options.set = flags.set;
  if (flags.kubeVersion !== undefined) options.kubeVersion = flags.kubeVersion;
  return options;
}
