import { UsageError } from '../../errors.ts';
import type { KubeApi } from '../../kube/api.ts';
import type { KubeObject } from '../../model/object.ts';
import { parseAddress } from '../../release/components.ts';
import { locateComponent } from '../../release/adapters/components.ts';
import { toRef } from '../../release/inventory.ts';
import type { CliCommand } from '../command.ts';
import { parseDurationFlag } from '../duration-flag.ts';
import { ExitCode, type CliIO } from '../io.ts';
import { connect, type ConnectFlags } from '../release-support.ts';
import { addClusterOptions } from './apply.ts';

interface LogsFlags extends ConnectFlags {
  follow?: boolean;
  since?: string;
  tail?: string;
  container?: string;
  timeout?: string;
}

/** `app=x,tier=y` from a workload's `spec.selector.matchLabels`. */
function selectorOf(workload: KubeObject): string {
  const labels =
    (workload.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector
      ?.matchLabels ?? {};
  const s = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (!s)
    throw new UsageError(`${workload.kind} ${workload.metadata.name} has no matchLabels selector`);
  return s;
}

function containersOf(pod: KubeObject, only?: string): string[] {
  const spec = pod.spec as { initContainers?: { name: string }[]; containers?: { name: string }[] };
  const names = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) => c.name);
  return only ? names.filter((n) => n === only) : names;
}

async function runLogs(io: CliIO, address: string, flags: LogsFlags): Promise<ExitCode> {
  const tailLines = flags.tail === undefined ? undefined : Number(flags.tail);
  if (tailLines !== undefined && (!Number.isInteger(tailLines) || tailLines < 0))
    throw new UsageError(`--tail ${flags.tail}: must be a whole number`);
  const sinceSeconds = flags.since
    ? Math.ceil(parseDurationFlag(flags.since, '--since') / 1000)
    : undefined;
  const stopAfter = flags.timeout ? parseDurationFlag(flags.timeout) : undefined;
  const signal = stopAfter ? AbortSignal.timeout(stopAfter) : undefined;
  const b = { deadline: Date.now() + (stopAfter ?? 60_000) };
  const conn = await connect(io, flags);
  try {
    const found = await locateComponent(conn.api, parseAddress(address), b);
    if (found.workloads.length === 0)
      throw new UsageError(`component ${found.component} runs no pods`);
    const opts = {
      ...(tailLines !== undefined ? { tailLines } : {}),
      ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    };
    const tasks: Promise<void>[] = [];
    const followed = new Set<string>();
    const start = (pod: KubeObject): void => {
      for (const container of containersOf(pod, flags.container)) {
        const key = `${pod.metadata.name}/${container}`;
        if (followed.has(key)) continue;
        followed.add(key);
        tasks.push(
          follow(io, conn.api, pod, container, { ...opts, ...(signal ? { signal } : {}) }),
        );
      }
    };
    for (const w of found.workloads) {
      const selector = selectorOf(w);
      const ns = w.metadata.namespace ?? '';
      const pods = await conn.api.list(
        { apiVersion: 'v1', kind: 'Pod', namespace: ns },
        { ...b, labelSelector: selector },
      );
      if (!flags.follow) {
        for (const pod of pods.items)
          for (const container of containersOf(pod, flags.container)) {
            const text = await conn.api.podLogs(toRef(pod), { ...b, ...opts, container });
            for (const line of text.split('\n').filter((l) => l !== ''))
              io.out(`[${pod.metadata.name}/${container}] ${line}\n`);
          }
        continue;
      }
      for (const pod of pods.items) if (isRunning(pod)) start(pod);
      // Follow pods that replace these (a rollout, a restart, a crash).
      tasks.push(
        (async () => {
          try {
            for await (const event of conn.api.watch(
              { apiVersion: 'v1', kind: 'Pod', namespace: ns },
              {
                labelSelector: selector,
                resourceVersion: pods.resourceVersion,
                ...(signal ? { signal } : {}),
              },
            ))
              if (event.type !== 'DELETED' && isRunning(event.object)) start(event.object);
          } catch (error) {
            if (!signal?.aborted) throw error;
          }
        })(),
      );
    }
    await Promise.all(tasks);
    return ExitCode.ok;
  } finally {
    conn.close();
  }
}

function isRunning(pod: KubeObject): boolean {
  return (pod.status as { phase?: string } | undefined)?.phase === 'Running';
}

async function follow(
  io: CliIO,
  api: KubeApi,
  pod: KubeObject,
  container: string,
  opts: { tailLines?: number; sinceSeconds?: number; signal?: AbortSignal },
): Promise<void> {
  try {
    for await (const line of api.followLogs(toRef(pod), { ...opts, container }))
      io.out(`[${pod.metadata.name}/${container}] ${line}\n`);
  } catch (error) {
    if (!opts.signal?.aborted)
      io.err(
        `[${pod.metadata.name}/${container}] log ended: ${error instanceof Error ? error.message : String(error)}\n`,
      );
  }
}

export const logsCommand: CliCommand = {
  name: 'logs',
  register(program, run) {
    const command = program
      .command('logs <component>')
      .description(
        'Print the logs of every pod and container of a component (<release>/<component> or <component>), each line prefixed with pod/container; -f follows, including pods that replace them',
      )
      .option('-f, --follow', 'keep printing new lines, and follow new pods of the component')
      .option('--since <duration>', 'only lines newer than this (10m, 1h)')
      .option('--tail <n>', 'only the last n lines of each container')
      .option('-c, --container <name>', 'only this container')
      .option(
        '--timeout <duration>',
        'stop following after this long (default: until interrupted)',
      );
    addClusterOptions(command).action(
      run((io, address: string, flags: LogsFlags) => runLogs(io, address, flags)),
    );
  },
};
