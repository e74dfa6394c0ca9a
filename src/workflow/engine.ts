/**
 * The engine: drives a run to its end. Steps start as soon as the DAG allows (bounded by
 * `concurrency`); the state is saved after every transition; a failure stops new steps, then the
 * completed steps are undone in reverse order when asked; the hooks run once. All time comes from
 * the injected clock, all effects from the tasks' ports and the store, so the engine runs the same
 * in unit tests (fake tasks, memory store) and against a cluster.
 */
import { parseDuration } from '../model/duration.ts';
import type { Clock } from './clock.ts';
import {
  DEFAULT_TIMEOUT,
  messageOf,
  runHooks,
  undoCompletedSteps,
  type FinishHost,
} from './finish.ts';
import type { WorkflowEvent } from './events.ts';
import { interpolate } from './expressions.ts';
import { RunPhase, StepStatus, type RunState, type StepSpec, type StepState } from './model.ts';
import { checkRuntimeParams } from './runtime-params.ts';
import { backoffMs, decide, isSettled, outcomeOf, scopeOf } from './schedule.ts';
import type { RunStore } from './store.ts';
import type { TaskPorts } from './tasks/ports.ts';
import type { TaskContext, TaskDefinition, TaskResult } from './tasks/types.ts';

export interface EngineOptions {
  tasks: ReadonlyMap<string, TaskDefinition>;
  store: RunStore;
  clock: Clock;
  ports: TaskPorts;
  /** Who drives the run (host and pid), for the lease. */
  holder: string;
  /** Secret parameter values (never stored). @default {} */
  secrets?: Record<string, unknown>;
  /** @default ignores events */
  onEvent?: (event: WorkflowEvent) => void;
  /** How often cancel/approvals are read and the lease renewed (ms). @default 1000 */
  pollMs?: number;
  /** Lease length (ms). @default 30_000 */
  leaseMs?: number;
  /** Deadline of each rollback action and hook (ms). @default 600_000 */
  undoTimeoutMs?: number;
}

function ms(duration: string): number {
  return parseDuration(duration) ?? 0;
}

/** Rejects when `signal` aborts (to race a task that ignores its signal). */
function whenAborted(signal: AbortSignal, reason: () => string): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new Error(reason()));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** Runs (or continues) `run` to its end and returns its final state. */
export async function executeRun(run: RunState, options: EngineOptions): Promise<RunState> {
  const engine = new Engine(structuredClone(run), options);
  return engine.execute();
}

class Engine {
  private saving: Promise<void> = Promise.resolve();
  private readonly controllers = new Map<string, AbortController>();
  private readonly tasksInFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private readonly emit: (e: WorkflowEvent) => void;
  private stopReason: string | undefined;

  constructor(
    private readonly run: RunState,
    private readonly o: EngineOptions,
  ) {
    this.emit = o.onEvent ?? (() => undefined);
  }

  async execute(): Promise<RunState> {
    const lease = await this.o.store.lock(this.run.id, this.o.holder, this.o.leaseMs ?? 30_000);
    try {
      this.runEvent();
      await this.persist();
      if (this.run.phase === RunPhase.running) await this.loop(() => lease.renew());
      if (this.run.phase === RunPhase.running) this.conclude();
      if (this.run.phase === RunPhase.rollingBack) await undoCompletedSteps(this.finishing());
      await runHooks(this.finishing());
      await this.persist();
    } finally {
      await lease.release();
    }
    return this.run;
  }

  private persist(): Promise<void> {
    const snapshot = structuredClone(this.run);
    this.saving = this.saving.then(() => this.o.store.save(snapshot));
    return this.saving;
  }

  private runEvent(): void {
    const e: WorkflowEvent = {
      type: 'run',
      run: this.run.id,
      workflow: this.run.workflow.name,
      phase: this.run.phase,
      at: this.o.clock.now(),
    };
    if (this.run.reason !== undefined) e.reason = this.run.reason;
    this.emit(e);
  }

  private stepEvent(name: string, st: StepState): void {
    const e: WorkflowEvent = {
      type: 'step',
      step: name,
      status: st.status,
      attempt: st.attempts,
      at: this.o.clock.now(),
    };
    if (st.message !== undefined) e.message = st.message;
    if (st.startedAt !== undefined && st.finishedAt !== undefined)
      e.durationMs = st.finishedAt - st.startedAt;
    this.emit(e);
  }

  private async loop(renew: () => Promise<void>): Promise<void> {
    const deadline = this.run.startedAt + ms(this.run.workflow.spec.timeout);
    let lastPoll = -Infinity;
    for (;;) {
      const now = this.o.clock.now();
      if (now - lastPoll >= (this.o.pollMs ?? 1000)) {
        lastPoll = now;
        await Promise.all([this.readControl(), renew()]);
      }
      if (now >= deadline && this.run.reason === undefined)
        this.stop(`workflow timeout ${this.run.workflow.spec.timeout} reached`);
      const scope = scopeOf(this.run, this.o.secrets ?? {});
      const d = decide(this.run, scope);
      const at = this.o.clock.now();
      const settle = (step: string, status: StepStatus, reason: string) => {
        const st = this.run.steps[step];
        if (!st) return;
        Object.assign(st, { status, message: reason, finishedAt: at });
        if (status === StepStatus.failed) {
          st.seq = this.run.seq++;
          this.run.failedStep ??= step;
        }
        this.stepEvent(step, st);
      };
      for (const s of d.skip) settle(s.step, StepStatus.skipped, s.reason);
      for (const s of d.omit) settle(s.step, StepStatus.omitted, s.reason);
      for (const s of d.fail) settle(s.step, StepStatus.failed, s.reason);
      if (d.skip.length + d.omit.length + d.fail.length > 0) void this.persist();
      for (const name of d.start) this.launch(name);
      if (isSettled(this.run)) break;
      if (d.start.length === 0 && d.skip.length + d.omit.length + d.fail.length > 0) continue;
      await this.waitForChange(Math.max(1, Math.min(this.o.pollMs ?? 1000, deadline - now)));
    }
    await Promise.all(this.tasksInFlight);
  }

  private async readControl(): Promise<void> {
    const control = await this.o.store.readControl(this.run.id);
    if (control.cancel && !this.run.cancelRequested) {
      this.run.cancelRequested = true;
      this.stop('cancelled');
    }
  }

  private stop(reason: string): void {
    this.run.reason = reason;
    this.stopReason = reason;
    for (const c of this.controllers.values()) c.abort();
    this.runEvent();
    void this.persist();
  }

  private waitForChange(timeoutMs: number): Promise<void> {
    const timer = new AbortController();
    return Promise.race([
      new Promise<void>((resolve) => (this.wake = resolve)),
      this.o.clock.sleep(timeoutMs, timer.signal),
    ]).finally(() => {
      timer.abort();
      this.wake = undefined;
    });
  }

  private launch(name: string): void {
    const p = this.runStep(name).finally(() => {
      this.tasksInFlight.delete(p);
      this.wake?.();
    });
    this.tasksInFlight.add(p);
  }

  private context(step: string, signal: AbortSignal, deadline = Infinity): TaskContext {
    return {
      timeLeftMs: () => Math.max(0, Math.min(deadline - this.o.clock.now(), 24 * 3_600_000)),
      runId: this.run.id,
      step,
      scope: scopeOf(this.run, this.o.secrets ?? {}),
      signal,
      now: () => this.o.clock.now(),
      sleep: (t, s) => this.o.clock.sleep(t, s ?? signal),
      progress: (message) => this.emit({ type: 'progress', step, message, at: this.o.clock.now() }),
      isApproved: async () => {
        const c = await this.o.store.readControl(this.run.id);
        return c.approvals[step] !== undefined;
      },
      ports: this.o.ports,
    };
  }

  private async runStep(name: string): Promise<void> {
    const spec = this.run.workflow.spec.steps.find((s) => s.name === name);
    const st = this.run.steps[name];
    const task = spec && this.o.tasks.get(spec.task);
    if (!spec || !st || !task) return;
    const controller = new AbortController();
    this.controllers.set(name, controller);
    Object.assign(st, { status: StepStatus.running, startedAt: this.o.clock.now() });
    delete st.message;
    // Recorded before reported: what a watcher sees is what a resume will find.
    await this.persist();
    this.stepEvent(name, st);
    try {
      const raw = interpolate(spec.params, scopeOf(this.run, this.o.secrets ?? {}));
      const params = checkRuntimeParams(task, raw);
      if (task.prepareUndo && st.undo === undefined) {
        const undo = await task.prepareUndo(params, this.context(name, controller.signal));
        if (undo) {
          st.undo = undo;
          await this.persist();
        }
      }
      const result = await this.attempts(spec, task, params, st, controller.signal);
      st.status = StepStatus.succeeded;
      st.outputs = result.outputs;
      if (result.message !== undefined) st.message = result.message;
    } catch (error) {
      st.status = controller.signal.aborted ? StepStatus.cancelled : StepStatus.failed;
      st.message = controller.signal.aborted ? (this.stopReason ?? 'stopped') : messageOf(error);
      const outputs = (error as { outputs?: Record<string, unknown> }).outputs;
      if (outputs) st.outputs = outputs;
      if (spec.onFailure !== 'continue') this.run.failedStep ??= name;
    } finally {
      this.controllers.delete(name);
    }
    st.finishedAt = this.o.clock.now();
    st.seq = this.run.seq++;
    await this.persist();
    this.stepEvent(name, st);
  }

  private async attempts(
    spec: StepSpec,
    task: TaskDefinition,
    params: Record<string, unknown>,
    st: StepState,
    stepSignal: AbortSignal,
  ): Promise<TaskResult> {
    const timeout = spec.timeout ?? task.defaultTimeout ?? DEFAULT_TIMEOUT;
    const limit = spec.retry?.limit ?? 0;
    for (;;) {
      st.attempts++;
      try {
        return await this.withTimeout(task, params, spec.name, timeout, stepSignal);
      } catch (error) {
        if (stepSignal.aborted || st.attempts > limit || !spec.retry) throw error;
        const delay = backoffMs(
          {
            backoffMs: ms(spec.retry.backoff),
            factor: spec.retry.factor,
            maxBackoffMs: ms(spec.retry.maxBackoff),
          },
          st.attempts,
        );
        st.message = `attempt ${st.attempts} failed: ${messageOf(error)}; retrying in ${Math.round(delay / 1000)}s`;
        this.stepEvent(spec.name, st);
        await this.persist();
        await this.o.clock.sleep(delay, stepSignal);
        if (stepSignal.aborted) throw error;
      }
    }
  }

  /** One attempt of `task` with its own deadline, linked to the step's signal. */
  private async withTimeout(
    task: TaskDefinition,
    params: Record<string, unknown>,
    step: string,
    timeout: string,
    parent: AbortSignal,
  ): Promise<TaskResult> {
    const attempt = new AbortController();
    const onParent = () => attempt.abort();
    parent.addEventListener('abort', onParent, { once: true });
    let timedOut = false;
    void this.o.clock.sleep(ms(timeout), attempt.signal).then(() => {
      if (attempt.signal.aborted) return;
      timedOut = true;
      attempt.abort();
    });
    const deadline = this.o.clock.now() + ms(timeout);
    try {
      return await Promise.race([
        task.run(params, this.context(step, attempt.signal, deadline)),
        whenAborted(attempt.signal, () =>
          timedOut ? `timed out after ${timeout}` : (this.stopReason ?? 'stopped'),
        ),
      ]);
    } catch (error) {
      if (timedOut) throw new Error(`timed out after ${timeout}`, { cause: error });
      if (parent.aborted) throw new Error(this.stopReason ?? 'stopped', { cause: error });
      throw error;
    } finally {
      parent.removeEventListener('abort', onParent);
      attempt.abort();
    }
  }

  /** Decides the run's outcome once every step is settled. */
  private conclude(): void {
    const { phase, rollback } = outcomeOf(this.run);
    if (phase !== RunPhase.succeeded && this.run.reason === undefined)
      this.run.reason = `step ${this.run.failedStep ?? '?'} failed`;
    if (rollback) {
      this.run.phase = RunPhase.rollingBack;
      this.run.rollback = { requested: true, status: 'running' };
    } else {
      this.run.phase = phase;
      this.run.finishedAt = this.o.clock.now();
    }
    this.runEvent();
  }

  /** What rollback and the hooks (./finish.ts) may use of the engine. */
  private finishing(): FinishHost {
    return {
      run: this.run,
      options: this.o,
      emit: this.emit,
      persist: () => this.persist(),
      runEvent: () => this.runEvent(),
      runTask: (task, params, label, timeout) =>
        this.withTimeout(task, params, label, timeout, new AbortController().signal),
    };
  }
}
