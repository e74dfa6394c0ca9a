/**
 * What a built-in task is: one file per task under src/workflow/tasks/, registered once in
 * tasks/index.ts. A task declares its params with the spec DSL (so they are validated with
 * file:line:column and documented), its outputs, whether re-running it is safe, and how to undo it.
 */
import type { Field } from '../../spec/schema/dsl.ts';
import type { Undo } from '../model.ts';
import type { TaskPorts } from './ports.ts';

export interface TaskContext {
  /** The run and step, for names of created objects and for messages. */
  runId: string;
  step: string;
  /** What expressions see at the step's start: parameters, earlier outputs, steps, workflow. */
  scope: Readonly<Record<string, unknown>>;
  /** Aborted on the step's timeout, the workflow's deadline or cancel. */
  signal: AbortSignal;
  /** Milliseconds left before this attempt's deadline (for the waits the task hands to ports). */
  timeLeftMs: () => number;
  /** Milliseconds since the epoch (injected clock). */
  now: () => number;
  /** Waits `ms` or until the signal aborts (injected clock). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Reports the current reason (shown in the live tree). */
  progress: (message: string) => void;
  /** Whether a human approved this step (`berth workflow approve`). */
  isApproved: () => Promise<boolean>;
  /** The adapters tasks call; each may be absent (the task then fails with TaskUnavailableError). */
  ports: TaskPorts;
}

export interface TaskResult {
  outputs: Record<string, unknown>;
  /** One line for humans. */
  message?: string;
}

export interface TaskDefinition<P = Record<string, unknown>> {
  /** Stable kebab-case id used in `task:`. */
  id: string;
  /** One sentence: what it does. */
  summary: string;
  /** How it maps seed tasks, its inverse, its outputs: a short paragraph for docs/workflows.md. */
  docs: string;
  /** The params object (validated like spec fields). */
  params: Field<P>;
  /** Output keys the task returns; `value` is the primary one a single declared output binds. */
  outputs: readonly string[] | 'from-params';
  /** Re-running after a crash mid-step is safe (server-side apply, explicit targets). */
  idempotent: boolean;
  /** @default 5m */
  defaultTimeout?: string;
  /**
   * How to undo the step, computed BEFORE it mutates anything (recorded in the run state first).
   * Absent: the task changes nothing that needs undoing (reads, waits, notifications).
   */
  prepareUndo?(params: P, ctx: TaskContext): Promise<Undo | undefined>;
  run(params: P, ctx: TaskContext): Promise<TaskResult>;
}

/** A task needs an adapter this build or this run does not have. */
export class TaskUnavailableError extends Error {
  constructor(task: string, what: string) {
    super(`${task}: ${what} is not available in this run`);
    this.name = 'TaskUnavailableError';
  }
}

/** A task ran and failed (the message says why, for the step's reason). */
export class TaskFailedError extends Error {
  readonly outputs: Record<string, unknown>;
  constructor(message: string, outputs: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TaskFailedError';
    this.outputs = outputs;
  }
}

/** Registers a task with its params type inferred from the schema. */
export function defineTask<P>(definition: TaskDefinition<P>): TaskDefinition {
  return definition as unknown as TaskDefinition;
}
