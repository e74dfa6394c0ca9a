import { parseDuration } from '../../model/duration.ts';
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

/** A Go-style duration (`90s`, `1m30s`) in milliseconds, or `fallback` when absent or invalid. */
export function durationMs(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : (parseDuration(text) ?? fallback);
}
