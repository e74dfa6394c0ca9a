/** What the engine reports while it runs: plain data the CLI prints as a tree, lines or JSON. */
import type { HookState, RollbackStatus, RunPhase, StepStatus } from './model.ts';

export type WorkflowEvent =
  | { type: 'run'; run: string; workflow: string; phase: RunPhase; reason?: string; at: number }
  | {
      type: 'step';
      step: string;
      status: StepStatus;
      attempt: number;
      message?: string;
      durationMs?: number;
      at: number;
    }
  | { type: 'progress'; step: string; message: string; at: number }
  | { type: 'rollback'; step: string; status: RollbackStatus; message?: string; at: number }
  | { type: 'hook'; hook: string; status: HookState['status']; message?: string; at: number };
