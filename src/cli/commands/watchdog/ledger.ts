/** `berth watchdog ledger`: every action the watchdog took (or would have), with its inverse and result. */
import type { Command } from 'commander';
import { describeRef } from '../../../model/object.ts';
import type { ActionRunner } from '../../command.ts';
import { ExitCode, type CliIO } from '../../io.ts';
import {
  addCluster,
  checkOutput,
  connect,
  ledgerStore,
  loadConfig,
  type ClusterFlags,
} from './shared.ts';

interface Flags extends ClusterFlags {
  output: string;
}

export function registerLedger(parent: Command, run: ActionRunner): void {
  addCluster(parent.command('ledger [path]'))
    .description(
      "List the watchdog's actions from its ledger in the cluster: id, time, action, target, status, result",
    )
    .option('-o, --output <format>', 'text or json', 'text')
    .action(run((io, path: string | undefined, flags: Flags) => ledger(io, path, flags)));
}

async function ledger(io: CliIO, path: string | undefined, flags: Flags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const config = await loadConfig(io, path);
  const kube = await connect(io, flags);
  try {
    const entries = (await ledgerStore(kube, config, flags).load()) ?? [];
    if (output === 'json') {
      io.out(`${JSON.stringify(entries, null, 2)}\n`);
      return ExitCode.ok;
    }
    if (entries.length === 0) io.out('the ledger is empty: the watchdog has not acted\n');
    for (const e of entries)
      io.out(
        `${e.id}  ${new Date(e.at).toISOString()}  ${e.action.action} ${describeRef(e.action.target)}  ${e.status}${e.result ? ` (${e.result})` : ''}\n    ${e.incident}\n    inverse: ${JSON.stringify(e.inverse.type === 'recreate' ? { type: 'recreate', kind: e.inverse.manifest.kind } : e.inverse)}\n`,
      );
    return ExitCode.ok;
  } finally {
    kube.close();
  }
}
