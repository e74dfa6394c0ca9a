/**
 * How a run ends, after its steps: the rollback (completed steps undone latest first, each through
 * the inverse its task recorded, reported one by one, going on past a failure) and the hooks
 * (onCompletion or onFailure, each once, never changing the run's result).
 */
import type { WorkflowEvent } from './events.ts';
import { interpolate } from './expressions.ts';
import { RunPhase, isRunFinished, type HookSpec, type RunState } from './model.ts';
import { checkRuntimeParams } from './runtime-params.ts';
import { rollbackPlan, scopeOf } from './schedule.ts';
import type { EngineOptions } from './engine.ts';
import type { TaskDefinition, TaskResult } from './tasks/types.ts';

/** A step's timeout when neither it nor its task names one. */
export const DEFAULT_TIMEOUT = '5m';

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the end of a run may use of the engine. */
export interface FinishHost {
  run: RunState;
  options: EngineOptions;
  emit(event: WorkflowEvent): void;
  persist(): Promise<void>;
  runEvent(): void;
  /** Runs `task` once under its own deadline (not linked to a step: the steps are over). */
  runTask(
    task: TaskDefinition,
    params: Record<string, unknown>,
    label: string,
    timeout: string,
  ): Promise<TaskResult>;
}

/** Undoes completed steps, latest first, one at a time; reports each; goes on past a failure. */
export async function undoCompletedSteps(h: FinishHost): Promise<void> {
  await h.persist();
  let failed = false;
  for (const name of rollbackPlan(h.run)) {
    const st = h.run.steps[name];
    const undo = st?.undo;
    if (!st || !undo) continue;
    st.rollback = { status: 'running', message: undo.description };
    h.emit({
      type: 'rollback',
      step: name,
      status: 'running',
      message: undo.description,
      at: h.options.clock.now(),
    });
    await h.persist();
    const task = h.options.tasks.get(undo.task);
    try {
      if (!task) throw new Error(`unknown task ${undo.task}`);
      const params = checkRuntimeParams(task, undo.params);
      const timeout = `${h.options.undoTimeoutMs ?? 600_000}ms`;
      await h.runTask(task, params, name, timeout);
      st.rollback = { status: 'done', message: undo.description, at: h.options.clock.now() };
    } catch (error) {
      failed = true;
      st.rollback = { status: 'failed', message: messageOf(error), at: h.options.clock.now() };
    }
    const e: WorkflowEvent = {
      type: 'rollback',
      step: name,
      status: st.rollback.status,
      at: h.options.clock.now(),
    };
    if (st.rollback.message !== undefined) e.message = st.rollback.message;
    h.emit(e);
    await h.persist();
  }
  h.run.rollback = { requested: true, status: failed ? 'failed' : 'done' };
  h.run.phase = RunPhase.failed;
  h.run.finishedAt = h.options.clock.now();
  h.runEvent();
  await h.persist();
}

/** onCompletion after success, onFailure after failure or cancel: each hook once. */
export async function runHooks(h: FinishHost): Promise<void> {
  if (!isRunFinished(h.run.phase)) return;
  const spec = h.run.workflow.spec;
  const list: HookSpec[] = h.run.phase === RunPhase.succeeded ? spec.onCompletion : spec.onFailure;
  for (const hook of list) {
    if (h.run.hooks[hook.name] !== undefined) continue;
    h.run.hooks[hook.name] = { status: 'running' };
    h.emit({ type: 'hook', hook: hook.name, status: 'running', at: h.options.clock.now() });
    await h.persist();
    const task = h.options.tasks.get(hook.task);
    try {
      if (!task) throw new Error(`unknown task ${hook.task}`);
      const raw = interpolate(hook.params, scopeOf(h.run, h.options.secrets ?? {}));
      const params = checkRuntimeParams(task, raw);
      const timeout = hook.timeout ?? task.defaultTimeout ?? DEFAULT_TIMEOUT;
      const r = await h.runTask(task, params, hook.name, timeout);
      h.run.hooks[hook.name] = {
        status: 'succeeded',
        ...(r.message ? { message: r.message } : {}),
      };
    } catch (error) {
      h.run.hooks[hook.name] = { status: 'failed', message: messageOf(error) };
    }
    const hs = h.run.hooks[hook.name];
    h.emit({
      type: 'hook',
      hook: hook.name,
      status: hs?.status ?? 'failed',
      ...(hs?.message ? { message: hs.message } : {}),
      at: h.options.clock.now(),
    });
    await h.persist();
  }
}
