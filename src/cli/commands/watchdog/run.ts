/**
 * `berth watchdog run [path]`: the long-running watchdog (locally with a kubeconfig, or in the
 * cluster). Without a Watchdog document: every detector, notify-only. Stops on SIGINT/SIGTERM or
 * after --for; undelivered messages stay in the outbox file for the next run.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../../../errors.ts';
import { parseDuration } from '../../../model/duration.ts';
import { Notifier } from '../../../notify/notifier.ts';
import { ConfigMapOutboxStore } from '../../../notify/outbox/configmap-store.ts';
import { FileOutboxStore } from '../../../notify/outbox/store.ts';
import { describeTarget } from '../../../notify/targets.ts';
import { KubeActuator } from '../../../watchdog/adapters/actions.ts';
import { ConfigMapStore, stateConfigMap } from '../../../watchdog/adapters/configmap-store.ts';
import { WatchdogEngine } from '../../../watchdog/adapters/engine.ts';
import { portLogReader } from '../../../watchdog/adapters/pod-logs.ts';
import { notMeasured } from '../../../watchdog/adapters/volume-usage.ts';
import { WatchdogRunner } from '../../../watchdog/adapters/runner.ts';
import type { TrackerState } from '../../../watchdog/tracker.ts';
import type { ActionRunner } from '../../command.ts';
import { ExitCode, type CliIO } from '../../io.ts';
import {
  addCluster,
  collect,
  connect,
  defaultOutbox,
  ledgerStore,
  loadConfig,
  targetsOf,
  type ClusterFlags,
} from './shared.ts';

interface Flags extends ClusterFlags {
  notify: string[];
  outbox?: string;
  outboxInCluster?: boolean;
  for?: string;
  dryRun?: boolean;
}

export function registerRun(parent: Command, run: ActionRunner): void {
  addCluster(parent.command('run [path]'))
    .description(
      'Run the watchdog: watch the cluster, detect, act within the Watchdog policy (none: notify-only), notify; until SIGINT/SIGTERM or --for',
    )
    .option(
      '--notify <kind=url>',
      'add a target: discord=URL, discord-bot=CHANNEL (token in DISCORD_BOT_TOKEN), slack=URL, webhook=URL (repeatable)',
      collect,
      [],
    )
    .option('--outbox <file>', 'outbox file (default: $XDG_STATE_HOME/berth/watchdog/outbox.json)')
    .option(
      '--outbox-in-cluster',
      'keep the outbox in ConfigMap berth-watchdog-outbox in the ledger namespace (for an in-cluster watchdog; safe with several writers)',
    )
    .option('--for <duration>', 'stop after this long (30s, 10m); default: until a signal')
    .option('--dry-run', 'decide and notify, never act (overrides the Watchdog document)')
    .action(run((io, path: string | undefined, flags: Flags) => runWatchdog(io, path, flags)));
}

async function runWatchdog(io: CliIO, path: string | undefined, flags: Flags): Promise<ExitCode> {
  const config = await loadConfig(io, path);
  if (flags.dryRun) config.policy = { ...config.policy, dryRun: true };
  const forMs = flags.for === undefined ? undefined : parseDuration(flags.for);
  if (flags.for !== undefined && (forMs === undefined || forMs <= 0))
    throw new UsageError(`--for ${flags.for}: use a duration such as 30s or 10m`);
  const targets = targetsOf(config, flags.notify, io.env);
  const log = (line: string) => io.err(`${new Date().toISOString()} ${line}\n`);
  if (flags.outboxInCluster && flags.outbox)
    throw new UsageError('--outbox and --outbox-in-cluster: choose one');
  const kube = await connect(io, flags);
  const namespace = flags.ledgerNamespace ?? config.ledgerNamespace;
  const store = flags.outboxInCluster
    ? new ConfigMapOutboxStore(kube, { namespace })
    : new FileOutboxStore(flags.outbox ? resolve(io.cwd, flags.outbox) : defaultOutbox(io.env));
  const notifier = await Notifier.open({
    targets,
    store,
    onEvent: (e) => {
      if (e.type !== 'delivered') log(`notify ${e.target}: ${e.type} (${e.error ?? ''})`);
    },
  });
  const engine = new WatchdogEngine({
    ...config,
    actuator: new KubeActuator(kube),
    ledger: ledgerStore(kube, config, flags),
    state: new ConfigMapStore<TrackerState>(kube, namespace, stateConfigMap, 'incidents.json'),
    notify: (n) => notifier.notify(n),
    replicasOf: async (ref) =>
      (await kube.getScale({ ...ref, apiVersion: 'apps/v1' }).catch(() => undefined))?.replicas,
    log,
  });
  const runner = new WatchdogRunner({
    kube,
    engine,
    detectors: config.detectors,
    schedules: config.schedules,
    metricsIntervalMs: config.metricsIntervalMs,
    metricsWindowMs: config.detectorOptions.sustainedMs + 2 * config.metricsIntervalMs,
    logs: portLogReader(kube),
    ...(config.prometheus ? { volumes: config.prometheus } : {}),
    log,
  });
  if (!config.prometheus && config.detectors.some((d) => d.id === 'pvc-pressure'))
    log(`pvc-pressure: PVC usage ${notMeasured}`);
  log(
    `watchdog ${config.name}: ${config.detectors.length} detectors, ${config.policy.actions.length ? `actions ${config.policy.actions.map((a) => a.action).join(', ')}${config.policy.dryRun ? ' (dry-run)' : ''}` : 'notify-only'}; notifying ${targets.map(describeTarget).join(', ') || 'nobody (no --notify, no targets)'}; ledger in ${namespace}`,
  );
  notifier.start();
  try {
    await runner.start();
    log('watching');
    await untilStopped(forMs);
  } finally {
    await runner.stop();
    const r = await notifier.drain({ timeoutMs: 10_000 });
    await notifier.stop();
    if (r.pending) log(`${r.pending} message(s) stay in ${store.description} for the next run`);
    kube.close();
  }
  return ExitCode.ok;
}

function untilStopped(forMs: number | undefined): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      clearTimeout(timer);
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      done();
    };
    const timer = forMs === undefined ? undefined : setTimeout(finish, forMs);
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}
