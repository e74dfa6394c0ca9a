/**
 * Scheduling decisions, pure: given a run's state, what starts now, what is skipped (`when`
 * false), what is omitted (a dependency failed or the run is stopping), whether the run is over
 * and whether it must roll back. Argo semantics (docs/workflows.md): a skipped step counts as
 * done for its dependents; a failed step with `onFailure: continue` too; any other failure stops
 * new steps (running ones finish) and omits their dependents.
 */
import { evaluateCondition, type Scope } from './expressions.ts';
import {
  isTerminal,
  RunPhase,
  StepStatus,
  type RunState,
  type StepSpec,
  type StepState,
} from './model.ts';

export interface Decision {
  start: string[];
  skip: { step: string; reason: string }[];
  omit: { step: string; reason: string }[];
  /** `when` could not be evaluated: the step fails. */
  fail: { step: string; reason: string }[];
}

/** Why the run is stopping (no new steps), or undefined while it may go on. */
export function stopReason(run: RunState): string | undefined {
  if (run.reason !== undefined) return run.reason;
  for (const s of run.workflow.spec.steps) {
    const st = run.steps[s.name];
    if (st && blocksRun(s, st)) return `step ${s.name} ${st.status}`;
  }
  return undefined;
}

function blocksRun(spec: StepSpec, st: StepState): boolean {
  if (st.status === StepStatus.interrupted || st.status === StepStatus.cancelled) return true;
  return st.status === StepStatus.failed && spec.onFailure !== 'continue';
}

/** A dependency lets its dependents run: succeeded, skipped, or failed with onFailure continue. */
function lets(spec: StepSpec | undefined, st: StepState | undefined): boolean {
  if (!spec || !st) return false;
  if (st.status === StepStatus.succeeded || st.status === StepStatus.skipped) return true;
  return st.status === StepStatus.failed && spec.onFailure === 'continue';
}

export function decide(run: RunState, scope: Scope): Decision {
  const out: Decision = { start: [], skip: [], omit: [], fail: [] };
  const specs = new Map(run.workflow.spec.steps.map((s) => [s.name, s]));
  const stopping = stopReason(run);
  let running = Object.values(run.steps).filter((s) => s.status === StepStatus.running).length;
  for (const spec of run.workflow.spec.steps) {
    const st = run.steps[spec.name];
    if (!st || st.status !== StepStatus.pending) continue;
    const deps = run.workflow.dependencies[spec.name] ?? [];
    if (stopping !== undefined) {
      out.omit.push({ step: spec.name, reason: `not started: ${stopping}` });
      continue;
    }
    if (!deps.every((d) => isTerminal(run.steps[d]?.status ?? StepStatus.pending))) continue;
    const blocker = deps.find((d) => !lets(specs.get(d), run.steps[d]));
    if (blocker !== undefined) {
      out.omit.push({
        step: spec.name,
        reason: `dependency ${blocker} ${run.steps[blocker]?.status ?? 'missing'}`,
      });
      continue;
    }
    if (spec.when !== undefined) {
      let go: boolean;
      try {
        go = evaluateCondition(spec.when, scope);
      } catch (error) {
        out.fail.push({ step: spec.name, reason: `when: ${(error as Error).message}` });
        continue;
      }
      if (!go) {
        out.skip.push({ step: spec.name, reason: `when ${spec.when} is false` });
        continue;
      }
    }
    if (running >= run.workflow.spec.concurrency) continue;
    out.start.push(spec.name);
    running++;
  }
  return out;
}

/** True when no step is pending or running. */
export function isSettled(run: RunState): boolean {
  return Object.values(run.steps).every((s) => isTerminal(s.status));
}

/** The phase a settled run ends in, and whether its completed steps must be undone. */
export function outcomeOf(run: RunState): { phase: RunPhase; rollback: boolean } {
  if (run.phase === RunPhase.cancelled || run.cancelRequested)
    return { phase: RunPhase.cancelled, rollback: false };
  const failed = run.workflow.spec.steps.find((s) => {
    const st = run.steps[s.name];
    return st !== undefined && blocksRun(s, st);
  });
  if (!failed && run.reason === undefined) return { phase: RunPhase.succeeded, rollback: false };
  const rollback = run.workflow.spec.rollbackOnFailure || failed?.onFailure === 'rollback';
  return { phase: RunPhase.failed, rollback };
}

/**
 * The steps to undo, in order: every step with a recorded inverse that succeeded or failed part
 * way (a failed apply may have changed objects), latest completion first.
 */
export function rollbackPlan(run: RunState): string[] {
  return Object.entries(run.steps)
    .filter(
      ([, st]) =>
        st.undo !== undefined &&
        (st.status === StepStatus.succeeded ||
          st.status === StepStatus.failed ||
          st.status === StepStatus.cancelled) &&
        st.rollback?.status !== 'done',
    )
    .sort(([, a], [, b]) => (b.seq ?? 0) - (a.seq ?? 0))
    .map(([name]) => name);
}

/** Delay before retry number `attempt` (1 = first retry), in ms. */
export function backoffMs(
  retry: { backoffMs: number; factor: number; maxBackoffMs: number },
  attempt: number,
): number {
  return Math.min(retry.maxBackoffMs, retry.backoffMs * retry.factor ** Math.max(0, attempt - 1));
}

/** What expressions see: parameters, published outputs, `steps.<name>`, `workflow`. */
export function scopeOf(run: RunState, secrets: Readonly<Record<string, unknown>>): Scope {
  const scope: Record<string, unknown> = { ...run.params, ...secrets };
  const steps: Record<string, unknown> = {};
  for (const s of run.workflow.spec.steps) {
    const st = run.steps[s.name];
    if (!st) continue;
    steps[s.name] = { status: st.status, outputs: st.outputs ?? {} };
    if (st.status !== StepStatus.succeeded && st.status !== StepStatus.failed) continue;
    for (const name of s.outputs) {
      const outputs = st.outputs ?? {};
      if (name in outputs) scope[name] = outputs[name];
      else if ('value' in outputs) scope[name] = outputs.value;
    }
  }
  scope.steps = steps;
  scope.workflow = {
    name: run.workflow.name,
    run: run.id,
    status: run.phase,
    failedStep: run.failedStep ?? '',
    reason: run.reason ?? '',
    rollback: run.rollback?.status ?? 'none',
  };
  return scope;
}
