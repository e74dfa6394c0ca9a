import type { TaskPorts } from './ports.ts';
import { TaskUnavailableError, type TaskContext } from './types.ts';

const what: Record<keyof TaskPorts, string> = {
  releases: 'the release module (apply with history, rollback, scale, upgrade, restart)',
  jobs: 'the Job runner (a Kubernetes cluster)',
  cluster: 'a Kubernetes cluster',
  queues: 'the queue sources module',
  notify: 'the notifier module',
};

/** The port a task needs, or a clear "not available" failure. */
export function need<K extends keyof TaskPorts>(
  ctx: TaskContext,
  port: K,
  task: string,
): NonNullable<TaskPorts[K]> {
  const p = ctx.ports[port];
  if (p === undefined || p === null) throw new TaskUnavailableError(task, what[port]);
  return p;
}

export function durationMs(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) return fallback;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}
