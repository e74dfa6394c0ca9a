/**
 * How a run reads: one plain line per event (CI logs), a tree of steps with state, duration and
 * reason (a terminal, redrawn as events arrive; also `berth workflow status`). Pure.
 */
import type { WorkflowEvent } from './events.ts';
import type { RunState, StepStatus } from './model.ts';

const icon: Record<StepStatus | 'rolled-back' | 'rollback-failed', string> = {
  pending: '·',
  running: '▶',
  succeeded: '✓',
  failed: '✗',
  skipped: '↷',
  omitted: '-',
  cancelled: '⊘',
  interrupted: '!',
  'rolled-back': '↺',
  'rollback-failed': '✗',
};

function seconds(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/** One line per event, for logs. */
export function eventLine(e: WorkflowEvent): string {
  const t = new Date(e.at).toISOString().slice(11, 19);
  switch (e.type) {
    case 'run':
      return `${t} run ${e.run} (${e.workflow}) ${e.phase}${e.reason ? `: ${e.reason}` : ''}`;
    case 'step': {
      const attempt = e.attempt > 1 ? ` attempt ${e.attempt}` : '';
      const took = e.durationMs !== undefined ? ` in ${seconds(e.durationMs)}` : '';
      return `${t} step ${e.step} ${e.status}${attempt}${took}${e.message ? `: ${e.message}` : ''}`;
    }
    case 'progress':
      return `${t} step ${e.step}: ${e.message}`;
    case 'rollback':
      return `${t} rollback ${e.step} ${e.status}${e.message ? `: ${e.message}` : ''}`;
    case 'hook':
      return `${t} hook ${e.hook} ${e.status}${e.message ? `: ${e.message}` : ''}`;
  }
}

/** The run as a tree: steps in wave order with their dependencies, then rollback and hooks. */
export function runTree(
  run: RunState,
  now: number,
  progress: Readonly<Record<string, string>> = {},
): string {
  const lines = [
    `${run.workflow.name}  run ${run.id}  ${run.phase}${run.reason ? ` (${run.reason})` : ''}`,
  ];
  const steps = run.workflow.spec.steps;
  steps.forEach((s, i) => {
    const st = run.steps[s.name];
    if (!st) return;
    const last = i === steps.length - 1;
    const end = st.finishedAt ?? (st.status === 'running' ? now : undefined);
    const took =
      st.startedAt !== undefined && end !== undefined ? ` ${seconds(end - st.startedAt)}` : '';
    const deps = run.workflow.dependencies[s.name] ?? [];
    const after = deps.length > 0 ? `  ← ${deps.join(', ')}` : '';
    const reason = (st.status === 'running' ? progress[s.name] : undefined) ?? st.message;
    const rb = st.rollback ? `  [rollback ${st.rollback.status}]` : '';
    lines.push(
      `${last ? '└─' : '├─'} ${icon[st.status]} ${s.name} (${s.task}) ${st.status}${took}${after}${rb}`,
    );
    if (reason) lines.push(`${last ? '   ' : '│  '}   ${reason}`);
  });
  if (run.rollback?.requested) lines.push(`rollback: ${run.rollback.status ?? 'pending'}`);
  for (const [name, h] of Object.entries(run.hooks))
    lines.push(`hook ${name}: ${h.status}${h.message ? ` (${h.message})` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Applies an event to a copy of the state the CLI keeps for its live view. */
export function applyEvent(run: RunState, e: WorkflowEvent): RunState {
  const next = structuredClone(run);
  if (e.type === 'run') {
    next.phase = e.phase;
    if (e.reason !== undefined) next.reason = e.reason;
  } else if (e.type === 'step') {
    const st = next.steps[e.step];
    if (st) {
      st.status = e.status;
      st.attempts = e.attempt;
      if (e.status === 'running' && st.startedAt === undefined) st.startedAt = e.at;
      if (e.status !== 'running' && e.status !== 'pending') st.finishedAt = e.at;
      if (e.message !== undefined) st.message = e.message;
      else delete st.message;
    }
  } else if (e.type === 'rollback') {
    const st = next.steps[e.step];
    if (st) st.rollback = { status: e.status, ...(e.message ? { message: e.message } : {}) };
  } else if (e.type === 'hook') {
    next.hooks[e.hook] = { status: e.status, ...(e.message ? { message: e.message } : {}) };
  }
  return next;
}
