/** What the `berth watchdog` subcommands share: flags, the cluster, the config, the notifier. */
import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../../../errors.ts';
import { listFiles } from '../../../files/walk.ts';
import type { KubeApi } from '../../../kube/api.ts';
import { connectKube } from '../../../kube/connect.ts';
import { parseTarget, type Target } from '../../../notify/targets.ts';
import { ConfigMapStore, ledgerConfigMap } from '../../../watchdog/adapters/configmap-store.ts';
import { readWatchdogConfig, type WatchdogConfig } from '../../../watchdog/config.ts';
import type { LedgerEntry } from '../../../watchdog/policy/types.ts';
import { parseYamlStream } from '../../../yaml/stream.ts';
import type { CliIO } from '../../io.ts';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  ledgerNamespace?: string;
}

export function addCluster(c: Command): Command {
  return c
    .option(
      '--kubeconfig <path>',
      'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)',
    )
    .option('--context <name>', 'kubeconfig context to use (default: its current-context)')
    .option(
      '--ledger-namespace <ns>',
      "namespace of the ledger and state ConfigMaps (default: the Watchdog document's, else berth-system)",
    );
}

export function connect(io: CliIO, flags: ClusterFlags): Promise<KubeApi> {
  return connectKube({
    ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
    ...(flags.context ? { context: flags.context } : {}),
  });
}

/** The Watchdog document in `path` (a file or folder), or the notify-only defaults. */
export async function loadConfig(io: CliIO, path: string | undefined): Promise<WatchdogConfig> {
  const streams = [];
  if (path !== undefined) {
    const full = resolve(io.cwd, path);
    const info = await stat(full).catch(() => undefined);
    if (!info)
      throw new InvalidInputError([{ message: `cannot read ${path}: no such file or folder` }]);
    const files = info.isDirectory() ? await listFiles(full, (n) => /\.ya?ml$/.test(n)) : [full];
    for (const f of files) streams.push(parseYamlStream(await readFile(f, 'utf8'), f));
  }
  const { config, diagnostics } = readWatchdogConfig(streams);
  if (!config) throw new InvalidInputError(diagnostics);
  return config;
}

export function ledgerStore(
  kube: KubeApi,
  config: WatchdogConfig,
  flags: ClusterFlags,
): ConfigMapStore<LedgerEntry[]> {
  return new ConfigMapStore(
    kube,
    flags.ledgerNamespace ?? config.ledgerNamespace,
    ledgerConfigMap,
    'entries.json',
  );
}

/** Targets from the Watchdog document (URLs from the environment) plus `--notify` flags. */
export function targetsOf(config: WatchdogConfig, flags: string[], env: CliIO['env']): Target[] {
  const targets: Target[] = [];
  for (const t of config.notify) {
    if (t.type === 'discord-bot') {
      const token = env[t.tokenEnv];
      const channel = env[t.channelEnv];
      if (!token || !channel)
        throw new UsageError(
          `the Watchdog's discord-bot target needs ${t.tokenEnv} and ${t.channelEnv} in the environment`,
        );
      const apiBase = env.DISCORD_API_BASE;
      targets.push(
        apiBase
          ? { type: 'discord-bot', token, channel, apiBase }
          : { type: 'discord-bot', token, channel },
      );
      continue;
    }
    const variable =
      t.urlEnv ??
      { discord: 'DISCORD_WEBHOOK_URL', slack: 'SLACK_WEBHOOK_URL', webhook: 'BERTH_WEBHOOK_URL' }[
        t.type
      ];
    const url = env[variable];
    if (!url)
      throw new UsageError(`the Watchdog's ${t.type} target needs ${variable} in the environment`);
    targets.push(parseTarget(`${t.type}=${url}`, env));
  }
  for (const f of flags) targets.push(parseTarget(f, env));
  return targets;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Where a local run keeps its outbox. */
export function defaultOutbox(env: CliIO['env']): string {
  const base = env.XDG_STATE_HOME || join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'berth', 'watchdog', 'outbox.json');
}

export function checkOutput(output: string): 'text' | 'json' {
  if (output === 'text' || output === 'json') return output;
  throw new UsageError(`--output ${output}: must be text or json`);
}
