/** `berth watchdog undo <id>`: applies the recorded inverse of one ledger entry and marks it undone. */
import type { Command } from 'commander';
import { UsageError } from '../../../errors.ts';
import { KubeActuator } from '../../../watchdog/adapters/actions.ts';
import { updateEntry } from '../../../watchdog/policy/ledger.ts';
import type { ActionRunner } from '../../command.ts';
import { ExitCode, type CliIO } from '../../io.ts';
import { addCluster, connect, ledgerStore, loadConfig, type ClusterFlags } from './shared.ts';

export function registerUndo(parent: Command, run: ActionRunner): void {
  addCluster(parent.command('undo <id> [path]'))
    .description(
      'Apply the inverse recorded for ledger entry <id> (restore the restart annotation, the replicas, or recreate the Job)',
    )
    .action(
      run((io, id: string, path: string | undefined, flags: ClusterFlags) =>
        undo(io, id, path, flags),
      ),
    );
}

async function undo(
  io: CliIO,
  id: string,
  path: string | undefined,
  flags: ClusterFlags,
): Promise<ExitCode> {
  const config = await loadConfig(io, path);
  const kube = await connect(io, flags);
  try {
    const store = ledgerStore(kube, config, flags);
    const entries = (await store.load()) ?? [];
    const entry = entries.find((e) => e.id === id);
    if (!entry)
      throw new UsageError(
        `no ledger entry ${id} in ${store.description}; see berth watchdog ledger`,
      );
    if (entry.status === 'undone')
      throw new UsageError(`ledger entry ${id} was already undone (${entry.result ?? ''})`);
    if (entry.status === 'dry-run')
      throw new UsageError(`ledger entry ${id} is a dry run: nothing was changed`);
    const result = await new KubeActuator(kube).undo(entry);
    await store.save(
      updateEntry(entries, id, {
        status: 'undone',
        result: `undone: ${result}`,
        finishedAt: Date.now(),
      }),
    );
    io.out(`${id}: ${result}\n`);
    return ExitCode.ok;
  } finally {
    kube.close();
  }
}
