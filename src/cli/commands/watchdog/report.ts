/** `berth watchdog report`: the daily cluster report now, printed and (with --notify) delivered. */
import type { Command } from 'commander';
import { Notifier } from '../../../notify/notifier.ts';
import { FileOutboxStore } from '../../../notify/outbox/store.ts';
import { reportMessage } from '../../../watchdog/messages.ts';
import type { ActionRunner } from '../../command.ts';
import { ExitCode, type CliIO } from '../../io.ts';
import { snapshotOnce } from './check.ts';
import {
  addCluster,
  checkOutput,
  collect,
  connect,
  defaultOutbox,
  loadConfig,
  targetsOf,
  type ClusterFlags,
} from './shared.ts';

interface Flags extends ClusterFlags {
  notify: string[];
  output: string;
  outbox?: string;
}

export function registerReport(parent: Command, run: ActionRunner): void {
  addCluster(parent.command('report [path]'))
    .description(
      "The daily cluster report now (nodes, top pods, pods not Running, Argo CD apps, certificates); delivered to the Watchdog's targets and --notify",
    )
    .option(
      '--notify <kind=url>',
      'discord=URL, discord-bot=CHANNEL, slack=URL or webhook=URL (repeatable)',
      collect,
      [],
    )
    .option('--outbox <file>', 'outbox file (undelivered messages survive a restart)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(run((io, path: string | undefined, flags: Flags) => report(io, path, flags)));
}

async function report(io: CliIO, path: string | undefined, flags: Flags): Promise<ExitCode> {
  const output = checkOutput(flags.output);
  const config = await loadConfig(io, path);
  const targets = targetsOf(config, flags.notify, io.env);
  const reporter = config.detectors.find((d) => d.always);
  if (!reporter) {
    io.err('the daily-cluster-report detector is disabled in the Watchdog document\n');
    return ExitCode.ok;
  }
  const kube = await connect(io, flags);
  try {
    const { state } = await snapshotOnce(
      kube,
      [...reporter.reads],
      config.detectorOptions.sustainedMs,
      config.prometheus,
    );
    const [finding] = reporter.detect(state, config.detectorOptions);
    if (!finding) return ExitCode.ok;
    if (output === 'json') io.out(`${JSON.stringify(finding, null, 2)}\n`);
    else io.out(`${finding.message}\n${finding.evidence.map((e) => `  ${e}`).join('\n')}\n`);
    if (targets.length > 0) {
      const notifier = await Notifier.open({
        targets,
        store: new FileOutboxStore(flags.outbox ?? defaultOutbox(io.env)),
      });
      await notifier.notify(reportMessage(finding, state.now));
      const r = await notifier.drain({ timeoutMs: 30_000 });
      if (r.pending > 0) {
        io.err(
          `${r.pending} message(s) not delivered yet; they stay in the outbox for the next run\n`,
        );
        return ExitCode.problems;
      }
    }
    return ExitCode.ok;
  } finally {
    kube.close();
  }
}
