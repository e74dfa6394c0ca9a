/**
 * Creating a run, resolving its parameters, and preparing a stored run for resumption. Pure.
 */
import type { Diagnostic } from '../errors.ts';
import {
  RunPhase,
  StepStatus,
  type ParamSpec,
  type RunState,
  type StepState,
  type Workflow,
} from './model.ts';
import type { TaskDefinition } from './tasks/types.ts';

/** `deploy-full-stack-20261202-110700-k3f9` (sorts by time; a ConfigMap name suffix). */
export function newRunId(workflow: string, now: number, random: () => number): string {
  const iso = new Date(now).toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${workflow.slice(0, 30).replace(/-+$/, '')}-${stamp}-${suffix}`;
}

/**
 * Parameter values: `--param` first, then the parameter's environment variable, then its default.
 * Secret ones are returned apart (never stored).
 */
export function resolveParams(
  specs: readonly ParamSpec[],
  given: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): {
  params: Record<string, unknown>;
  secrets: Record<string, unknown>;
  diagnostics: Diagnostic[];
} {
  const params: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  for (const name of Object.keys(given))
    if (!specs.some((p) => p.name === name))
      diagnostics.push({
        message: `unknown parameter "${name}"`,
        hint: `parameters: ${specs.map((p) => p.name).join(', ') || 'none'}`,
      });
  for (const p of specs) {
    const raw =
      given[p.name] ?? (p.env !== undefined ? env[p.env] : undefined) ?? p.default?.toString();
    if (raw === undefined) {
      diagnostics.push({
        message: `parameter "${p.name}" is required`,
        hint: `pass --param ${p.name}=...${p.env ? ` or set ${p.env}` : ''}`,
      });
      continue;
    }
    const value = convert(p, raw);
    if (value === undefined) {
      diagnostics.push({ message: `parameter "${p.name}": "${raw}" is not a ${p.type}` });
      continue;
    }
    (p.secret ? secrets : params)[p.name] = value;
  }
  return { params, secrets, diagnostics };
}

function convert(p: ParamSpec, raw: string): unknown {
  if (p.type === 'int') return /^-?\d+$/.test(raw) ? Number(raw) : undefined;
  if (p.type === 'bool') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  return raw;
}

export function createRun(
  workflow: Workflow,
  id: string,
  params: Record<string, unknown>,
  now: number,
): RunState {
  const steps: Record<string, StepState> = {};
  for (const s of workflow.spec.steps) steps[s.name] = { status: StepStatus.pending, attempts: 0 };
  return {
    version: 1,
    id,
    workflow,
    params,
    phase: RunPhase.running,
    startedAt: now,
    steps,
    hooks: {},
    seq: 1,
  };
}

/**
 * A stored run made ready to continue: a step that was running when the runner stopped is run
 * again when its task is idempotent; otherwise it is marked interrupted for a human. Completed
 * steps stay completed. Same for hooks (a half-sent notification is not sent twice).
 */
export function prepareResume(
  run: RunState,
  tasks: ReadonlyMap<string, TaskDefinition>,
): { run: RunState; notes: string[] } {
  const next = structuredClone(run);
  const notes: string[] = [];
  for (const s of next.workflow.spec.steps) {
    const st = next.steps[s.name];
    if (!st || st.status !== StepStatus.running) continue;
    if (tasks.get(s.task)?.idempotent) {
      st.status = StepStatus.pending;
      notes.push(`step ${s.name} was running: its task ${s.task} is idempotent, running it again`);
    } else {
      st.status = StepStatus.interrupted;
      st.message = `was running when the runner stopped; task ${s.task} is not idempotent: check it by hand`;
      notes.push(`step ${s.name}: ${st.message}`);
    }
  }
  for (const [name, h] of Object.entries(next.hooks)) {
    if (h.status !== 'running') continue;
    h.status = 'interrupted';
    h.message = 'the runner stopped while it ran; not repeated';
    notes.push(`hook ${name}: ${h.message}`);
  }
  return { run: next, notes };
}
