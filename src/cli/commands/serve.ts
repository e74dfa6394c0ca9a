/**
 * `berth serve [path]`: berth in the cluster, one process (ADR 0100, docs/service.md): the
 * watchdog of the Watchdog document and the autoscaler of the Platform's pools (engine berth),
 * behind one Lease; HTTP /healthz, /readyz, /metrics and the dashboard. Refuses to start with
 * more power than it needs unless --allow-excess-power. SIGTERM/SIGINT: stop acting, flush the
 * outbox, hand the lease back, exit 0.
 */
import { Option, type Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parseEndpoints } from '../../autoscale/pools.ts';
import { InvalidInputError, UsageError } from '../../errors.ts';
import { listFiles } from '../../files/walk.ts';
import type { KubeApi } from '../../kube/api.ts';
import { connectKube } from '../../kube/connect.ts';
import { systemClock } from '../../kube/http/transport.ts';
import { createExplainer } from '../../llm/create.ts';
import { readLlmConfig } from '../../llm/config.ts';
import { permittedSecretValues } from '../../llm/adapters/secret-values.ts';
import type { LlmConfig } from '../../llm/config.ts';
import type { Target } from '../../notify/targets.ts';
import { SecretMasker, secretValuesOfEnv } from '../../secrets/index.ts';
import { passwordHashProblem, type AuthConfig } from '../../service/auth.ts';
import { ServiceMetrics } from '../../service/metrics.ts';
import { validateWorkspace, type Workspace } from '../../spec/workspace.ts';
import { readWatchdogConfig } from '../../watchdog/config.ts';
import type { Incident } from '../../watchdog/incidents.ts';
import { parseYamlStream, type YamlStream } from '../../yaml/stream.ts';
import type { ActionRunner, CliCommand } from '../command.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { version } from '../version.ts';
import { addClusterOptions } from './apply.ts';
import { targetsOf } from './watchdog/shared.ts';

export const serveSummary =
  'berth in the cluster: the watchdog and the autoscaler in one process, one leader (Lease) acts, warm standbys; /healthz, /readyz, /metrics and the dashboard (docs/service.md)';

interface Flags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  identity?: string;
  leaseSeconds: string;
  listen: string;
  allowExcessPower?: boolean;
  notify: string[];
  endpoint: string[];
  dryRun?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const serveCommand: CliCommand = {
  name: 'serve',
  register(program: Command, run: ActionRunner) {
    addClusterOptions(program.command('serve [path]'))
      .description(serveSummary)
      .option(
        '--namespace <ns>',
        "namespace of the Lease and of the state ConfigMaps (default: the Watchdog's ledgerNamespace)",
      )
      .option('--identity <name>', 'leader-election identity (default: $POD_NAME, else host-pid)')
      .option(
        '--lease-seconds <n>',
        'Lease duration: a standby takes over at most this plus a third of it after the leader died',
        '10',
      )
      .option('--listen <host:port>', 'address of the HTTP server', '127.0.0.1:8080')
      .option(
        '--allow-excess-power',
        'start even when this identity can do more than berth needs (each excess is reported at every start)',
      )
      .addOption(
        new Option('--notify <kind=url>', 'add a notification target, as for watchdog run')
          .argParser(collect)
          .default([], 'the Watchdog document’s targets'),
      )
      .addOption(
        new Option('--endpoint <store=url>', "reach an autoscaled pool's store at this URL")
          .argParser(collect)
          .default([], 'the in-cluster addresses'),
      )
      .option('--dry-run', 'decide and notify, never remediate (overrides the Watchdog document)')
      .action(run((io, path: string | undefined, flags: Flags) => runServe(io, path, flags)));
  },
};

function listenOf(value: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(value);
  if (!m?.[1] || m[2] === undefined) throw new UsageError(`--listen ${value}: expected host:port`);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

/** Credentials of the dashboard from the environment (the rendered Secret, envFrom). */
export function authFromEnv(env: CliIO['env']): AuthConfig {
  const auth: AuthConfig = {};
  if (env.BERTH_DASHBOARD_TOKEN) auth.bearerToken = env.BERTH_DASHBOARD_TOKEN;
  const hash = env.BERTH_DASHBOARD_PASSWORD_HASH;
  const problem = hash ? passwordHashProblem(hash) : undefined;
  if (problem) throw new UsageError(`BERTH_DASHBOARD_PASSWORD_HASH: ${problem}`);
  if (env.BERTH_DASHBOARD_USER && hash) auth.basic = { user: env.BERTH_DASHBOARD_USER, hash };
  return auth;
}

async function readStreams(io: CliIO, path: string | undefined): Promise<YamlStream[]> {
  if (path === undefined) return [];
  const full = resolve(io.cwd, path);
  const info = await stat(full).catch(() => undefined);
  if (!info)
    throw new InvalidInputError([{ message: `cannot read ${path}: no such file or folder` }]);
  const files = info.isDirectory() ? await listFiles(full, (n) => /\.ya?ml$/.test(n)) : [full];
  const streams = [];
  for (const f of files) streams.push(parseYamlStream(await readFile(f, 'utf8'), f));
  return streams;
}

function kindsOf(streams: readonly YamlStream[], kind: string): Record<string, unknown>[] {
  return streams
    .flatMap((s) => s.documents)
    .map((d) => d.value as Record<string, unknown> | null)
    .filter((v): v is Record<string, unknown> => v?.kind === kind);
}

/** The Watchdog document's `llm` section as the variables src/llm reads (they win over none). */
function llmEnv(streams: readonly YamlStream[], env: CliIO['env']): CliIO['env'] {
  const spec = kindsOf(streams, 'Watchdog')[0]?.spec as
    { llm?: Record<string, unknown> } | undefined;
  const llm = spec?.llm;
  if (!llm) return env;
  const str = (v: unknown) =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  const ms = (v: unknown) => (typeof v === 'number' ? String(v * 1000) : undefined);
  return {
    ...env,
    BERTH_LLM_BASE_URL: str(llm.baseURL) ?? env.BERTH_LLM_BASE_URL,
    BERTH_LLM_MODEL: str(llm.model) ?? env.BERTH_LLM_MODEL,
    BERTH_LLM_TIMEOUT_MS: ms(llm.timeoutSeconds) ?? env.BERTH_LLM_TIMEOUT_MS,
    BERTH_LLM_INCIDENT_TOKENS: str(llm.incidentTokens) ?? env.BERTH_LLM_INCIDENT_TOKENS,
    BERTH_LLM_DAILY_TOKENS: str(llm.dailyTokens) ?? env.BERTH_LLM_DAILY_TOKENS,
    BERTH_LLM_ANSWER_TOKENS: str(llm.answerTokens) ?? env.BERTH_LLM_ANSWER_TOKENS,
    BERTH_LLM_ANSWER_CHARS: str(llm.answerChars) ?? env.BERTH_LLM_ANSWER_CHARS,
  };
}

/** The secret values berth holds: its environment's, the targets' tokens and URLs, the LLM key. */
export function ownSecretValues(
  env: CliIO['env'],
  targets: readonly Target[],
  llm: LlmConfig | undefined,
): string[] {
  const values = secretValuesOfEnv(env);
  for (const t of targets) {
    if ('token' in t) values.push(t.token);
    if ('url' in t) values.push(t.url);
    if ('headers' in t) values.push(...Object.values(t.headers ?? {}));
  }
  if (llm?.apiKey) values.push(llm.apiKey);
  return values;
}

/**
 * The one masking of `berth serve` and the explainer that uses it (ADR 0145): berth's own
 * secret values, the Secrets it may read (added as the explainer reads them) and the pattern
 * table mask notifications, stored evidence, the dashboard and prompts alike. Secrets are read
 * only where an access review allows it (the rendered role lists none), so the explanation
 * never depends on listing them; a read that is allowed but fails refuses the call (src/llm).
 */
export function serviceSecrets(o: {
  env: CliIO['env'];
  targets: readonly Target[];
  llm: LlmConfig | undefined;
  api: KubeApi;
  watched: readonly string[];
  metrics: ServiceMetrics;
  log: (line: string) => void;
}): { mask: (text: string) => string; explain?: (incident: Incident) => Promise<string> } {
  const masker = new SecretMasker(ownSecretValues(o.env, o.targets, o.llm));
  if (!o.llm) return { mask: masker.mask };
  const secretValues = permittedSecretValues(o.api, o.watched, { log: o.log });
  const explainer = createExplainer(o.llm, {
    knownSecrets: async () => masker.add(await secretValues()),
    onTokens: (tokens, result) => {
      o.metrics.llmTokens.inc({ result }, tokens);
      o.metrics.llmExplanations.inc({ result });
    },
    log: o.log,
  });
  return { mask: masker.mask, explain: async (i) => (await explainer.explain(i)).text };
}

async function runServe(io: CliIO, path: string | undefined, flags: Flags): Promise<ExitCode> {
  const streams = await readStreams(io, path);
  const { config, diagnostics } = readWatchdogConfig(streams);
  if (!config) throw new InvalidInputError(diagnostics);
  if (flags.dryRun) config.policy = { ...config.policy, dryRun: true };
  let ws: Workspace | undefined;
  if (kindsOf(streams, 'Platform').length > 0) {
    const r = validateWorkspace(streams);
    if (!r.workspace || r.diagnostics.length > 0) throw new InvalidInputError(r.diagnostics);
    ws = r.workspace;
  }
  const leaseSeconds = Number(flags.leaseSeconds);
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 3)
    throw new UsageError(`--lease-seconds ${flags.leaseSeconds}: a whole number, at least 3`);
  let endpoints: Record<string, string>;
  try {
    endpoints = parseEndpoints(flags.endpoint);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const llm = readLlmConfig(llmEnv(streams, io.env));
  if (llm.errors.length) throw new UsageError(llm.errors.join('; '));
  const targets = targetsOf(config, flags.notify, io.env);
  const listen = listenOf(flags.listen);
  const auth = authFromEnv(io.env); // a malformed hash: exit 2 before any connection
  const log = (line: string) => io.err(`${new Date().toISOString()} ${line}\n`);
  const api = await connectKube({
    ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    env: io.env,
  });
  const namespace = flags.namespace ?? config.ledgerNamespace;
  const metrics = new ServiceMetrics();
  const watched = config.policy.include.length ? config.policy.include : [namespace];
  const secrets = serviceSecrets({
    env: io.env,
    targets,
    llm: llm.config,
    api,
    watched,
    metrics,
    log,
  });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const { serve } = await import('../../service/adapters/serve.ts');
    const running = await serve({
      api,
      identity: flags.identity ?? io.env.POD_NAME ?? `${hostname()}-${process.pid}`,
      namespace,
      leaseSeconds,
      clock: systemClock,
      allowExcessPower: flags.allowExcessPower === true,
      config,
      ...(ws ? { ws, endpoints } : {}),
      targets,
      http: { ...listen, auth },
      version,
      metrics,
      ...secrets,
      log,
    });
    if (!stop.signal.aborted)
      await new Promise<void>((done) =>
        stop.signal.addEventListener('abort', () => done(), { once: true }),
      );
    log('stopping: no more actions, flushing the outbox, handing the lease back');
    const { pending } = await running.stop();
    if (pending) log(`${pending} message(s) stay in the outbox for the next leader`);
    return ExitCode.ok;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    api.close();
  }
}
