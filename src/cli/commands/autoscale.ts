import { Option, type Command } from 'commander';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { decideScale } from '../../autoscale/decide.ts';
import { describePolicy } from '../../autoscale/explain.ts';
import {
  berthPools,
  engineOf,
  isQueuePool,
  parseEndpoints,
  policyOf,
  sourceOf,
} from '../../autoscale/pools.ts';
import { UsageError } from '../../errors.ts';
import { connectKube } from '../../kube/connect.ts';
import { describeSource, readDepth } from '../../sources/index.ts';
import { loadWorkspace } from '../../spec/adapters/files.ts';
import type { ActionRunner, CliCommand } from '../command.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { addClusterOptions } from './apply.ts';
import { inputPath } from './validate.ts';

interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}
interface RunFlags extends ClusterFlags {
  endpoint: string[];
  pool: string[];
  listen: string;
  identity?: string;
  leaseNamespace?: string;
}
interface ExplainFlags extends ClusterFlags {
  endpoint: string[];
  controller: string;
  output: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const repeatable = (flags: string, description: string, none: string) =>
  new Option(flags, description).argParser(collect).default([], none);

function endpointsOf(flags: string[]): Record<string, string> {
  try {
    return parseEndpoints(flags);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function listenOf(value: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(value);
  if (!m?.[1] || m[2] === undefined) throw new UsageError(`--listen ${value}: expected host:port`);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

async function connect(io: CliIO, flags: ClusterFlags) {
  return connectKube({
    ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    env: io.env,
  });
}

function registerRun(parent: Command, run: ActionRunner) {
  addClusterOptions(
    parent
      .command('run [path]')
      .description(
        "Scale the workspace's queue pools (engine berth) on their queue depth until stopped: informers, leader election (Lease), /scale as berth-autoscaler, /healthz and /metrics",
      )
      .addOption(
        repeatable(
          '--endpoint <store=url>',
          'reach a store (name or engine: nats, redis, prometheus, http) at this URL instead of its in-cluster address; repeatable',
          'the in-cluster addresses',
        ),
      )
      .addOption(
        repeatable(
          '--pool <name>',
          'scale only this pool; repeatable',
          'every pool with engine berth',
        ),
      )
      .option(
        '--listen <host:port>',
        'address of /healthz, /metrics and /explain',
        '127.0.0.1:9464',
      )
      .option('--identity <name>', 'leader-election identity (default: $POD_NAME, else host-pid)')
      .option(
        '--lease-namespace <ns>',
        'namespace of the leader Lease (default: platform autoscaling.namespace)',
      ),
  ).action(
    run(async (io, path: string | undefined, flags: RunFlags) => {
      // A long-running, mostly idle process: V8 keeps its heap small (ADR 0155).
      (await import('../../autoscale/adapters/heap.ts')).tuneHeapForIdleController();
      const endpoints = endpointsOf(flags.endpoint);
      const listen = listenOf(flags.listen);
      const ws = await loadWorkspace(inputPath(io.cwd, path ?? '.'));
      const { runAutoscaler, targetsOf } = await import('../../autoscale/adapters/run.ts');
      try {
        targetsOf(ws, endpoints, flags.pool);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const api = await connect(io, flags);
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        const running = await runAutoscaler({
          api,
          ws,
          endpoints,
          only: flags.pool,
          identity: flags.identity ?? io.env.POD_NAME ?? `${hostname()}-${process.pid}`,
          ...(flags.leaseNamespace ? { leaseNamespace: flags.leaseNamespace } : {}),
          listen,
          log: (line) => io.err(`${new Date().toISOString()} ${line}\n`),
        });
        await new Promise<void>((done) =>
          stop.signal.addEventListener('abort', () => done(), { once: true }),
        );
        await running.stop();
        return ExitCode.ok;
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        api.close();
      }
    }),
  );
}

function registerExplain(parent: Command, run: ActionRunner) {
  addClusterOptions(
    parent
      .command('explain <pool> [path]')
      .description(
        "A pool's policy (with every default), its current depth and replicas, what would be decided now, and the running controller's last decisions",
      )
      .addOption(
        repeatable('--endpoint <store=url>', 'as for run; repeatable', 'the in-cluster addresses'),
      )
      .option(
        '--controller <url>',
        'a running autoscaler to ask for its last decisions',
        'http://127.0.0.1:9464',
      )
      .option('-o, --output <format>', 'text or json', 'text'),
  ).action(
    run(async (io, name: string, path: string | undefined, flags: ExplainFlags) => {
      if (flags.output !== 'text' && flags.output !== 'json')
        throw new UsageError(`--output ${flags.output}: must be text or json`);
      const ws = await loadWorkspace(inputPath(io.cwd, path ?? '.'));
      const pool = ws.components.find((c) => c.name === name);
      if (!pool || !isQueuePool(pool))
        throw new UsageError(
          `${name}: not a queue-scaled AgentPool of this workspace (pools: ${
            berthPools(ws)
              .map((p) => p.name)
              .join(', ') || 'none'
          })`,
        );
      const policy = policyOf(pool);
      const source = sourceOf(pool, ws, endpointsOf(flags.endpoint));
      const depth = await readDepth(source, { timeoutMs: 3_000 });
      let replicas: number | string = 'unknown';
      try {
        const api = await connect(io, flags);
        try {
          const scale = await api.getScale(
            { apiVersion: 'apps/v1', kind: 'Deployment', namespace: pool.namespace, name },
            { deadline: Date.now() + 5_000 },
          );
          replicas = scale.replicas;
        } finally {
          api.close();
        }
      } catch (error) {
        replicas = `unknown (${(error as Error).message})`;
      }
      const live = await fetch(`${flags.controller.replace(/\/$/, '')}/explain/${name}`, {
        signal: AbortSignal.timeout(2_000),
      })
        .then((r) =>
          r.ok
            ? (r.json() as Promise<{ decisions?: { at: number; reason: string }[] }>)
            : undefined,
        )
        .catch(() => undefined);
      const now = Date.now();
      const wouldDo =
        typeof replicas === 'number'
          ? decideScale(
              {
                replicas,
                samples: [
                  'value' in depth
                    ? { at: now, depth: depth.value }
                    : { at: now, reason: depth.reason },
                ],
                events: [],
              },
              policy,
              now,
            ).reason
          : undefined;
      const report = {
        pool: name,
        namespace: pool.namespace,
        engine: engineOf(pool, ws.platform.spec),
        source: describeSource(source),
        pollSeconds: pool.spec.scaling.pollSeconds,
        policy,
        depth,
        replicas,
        now: wouldDo,
        decisions: live?.decisions ?? [],
      };
      if (flags.output === 'json') {
        io.out(`${JSON.stringify(report, null, 2)}\n`);
        return ExitCode.ok;
      }
      const lines = [
        `${name} (AgentPool ${pool.namespace}/${name}), engine ${report.engine}`,
        `  source:   ${report.source}, read every ${report.pollSeconds} s`,
        `  policy:   ${describePolicy(policy)}`,
        `  depth:    ${'value' in depth ? `${depth.value} pending` : `unknown (${depth.reason})`}`,
        `  replicas: ${replicas}`,
        ...(wouldDo ? [`  now:      ${wouldDo} (one reading, no window)`] : []),
      ];
      if (live)
        lines.push(
          `  last decisions (${flags.controller}):`,
          ...report.decisions
            .slice(-10)
            .map((d) => `    ${new Date(d.at).toISOString().slice(11, 19)} ${d.reason}`),
        );
      else lines.push(`  no running autoscaler answered at ${flags.controller} (--controller)`);
      io.out(`${lines.join('\n')}\n`);
      return ExitCode.ok;
    }),
  );
}

export const autoscaleCommand: CliCommand = {
  name: 'autoscale',
  register(program, run) {
    const autoscale = program
      .command('autoscale')
      .description("berth's queue-depth autoscaler for agent pools (docs/autoscale.md)");
    registerRun(autoscale, run);
    registerExplain(autoscale, run);
  },
};
