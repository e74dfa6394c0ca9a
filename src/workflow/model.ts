/**
 * The workflow's plain data: the validated document, and the state of one run (what the engine
 * persists after every transition, so any machine can resume it). No behaviour here.
 */
import type { WorkflowDoc } from '../spec/schema/kinds.ts';

export type WorkflowSpec = WorkflowDoc['spec'];
export type StepSpec = WorkflowSpec['steps'][number];
export type HookSpec = WorkflowSpec['onCompletion'][number];
export type ParamSpec = WorkflowSpec['params'][number];
export type OnFailure = StepSpec['onFailure'];

/** A validated workflow, ready to plan and run. */
export interface Workflow {
  name: string;
  /** Namespace of the run state (metadata.namespace, else the platform's). */
  namespace?: string;
  /** The file it came from (for messages). */
  file?: string;
  spec: WorkflowSpec;
  /** Every dependency of each step: declared dependsOn plus steps whose outputs it reads. */
  dependencies: Record<string, string[]>;
}

export const StepStatus = {
  pending: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  /** `when` was false (Argo: Skipped; dependents still run). */
  skipped: 'skipped',
  /** Not started because a dependency failed or the run stopped (Argo: Omitted). */
  omitted: 'omitted',
  /** Stopped by cancel or the workflow deadline. */
  cancelled: 'cancelled',
  /** Was running when the runner stopped, and its task is not idempotent: a human decides. */
  interrupted: 'interrupted',
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

export const RollbackStatus = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  failed: 'failed',
} as const;
export type RollbackStatus = (typeof RollbackStatus)[keyof typeof RollbackStatus];

/** How to undo a step: a task call recorded before the step's mutation runs. */
export interface Undo {
  task: string;
  params: Record<string, unknown>;
  /** One line for humans: "scale vapora-agents back to 3 replicas". */
  description: string;
}

export interface StepState {
  status: StepStatus;
  attempts: number;
  startedAt?: number;
  finishedAt?: number;
  /** Order of completion (1, 2, ...): rollback undoes steps in reverse of it. */
  seq?: number;
  /** Every output the task returned. */
  outputs?: Record<string, unknown>;
  /** Why it failed, was skipped or omitted; the current reason while running. */
  message?: string;
  undo?: Undo;
  rollback?: { status: RollbackStatus; message?: string; at?: number };
}

export const RunPhase = {
  running: 'running',
  rollingBack: 'rolling-back',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type RunPhase = (typeof RunPhase)[keyof typeof RunPhase];

export interface HookState {
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'interrupted';
  message?: string;
}

export interface RunState {
  /** Version of this shape, for readers on other machines. */
  version: 1;
  id: string;
  workflow: Workflow;
  /** Parameter values (secret ones left out: re-read from the environment on resume). */
  params: Record<string, unknown>;
  phase: RunPhase;
  startedAt: number;
  finishedAt?: number;
  /** Why the run failed, in one line. */
  reason?: string;
  /** `berth workflow cancel` was seen: running steps are stopped, nothing new starts. */
  cancelRequested?: boolean;
  /** The step whose failure ended the run. */
  failedStep?: string;
  /** Whether completed steps must be undone (rollbackOnFailure or a step's onFailure: rollback). */
  rollback?: { requested: boolean; status?: 'running' | 'done' | 'failed' };
  steps: Record<string, StepState>;
  hooks: Record<string, HookState>;
  /** Next completion number. */
  seq: number;
}

/** Requests a human or another machine makes to a run (stored beside its state). */
export interface RunControl {
  cancel: boolean;
  /** Approved `approve` steps: step name → who approved. */
  approvals: Record<string, string>;
}

export function isTerminal(status: StepStatus): boolean {
  return status !== 'pending' && status !== 'running';
}

export function isRunFinished(phase: RunPhase): boolean {
  return phase === 'succeeded' || phase === 'failed' || phase === 'cancelled';
}
