// One workflow run against an open runtime, as the sandbox tests and the workflow bench start it:
// find the workflow in the workspace, resolve its parameters (the diagnostics are returned, the
// caller asserts them), create the run and drive it to its end with the built-in tasks.
import { systemClock } from '../../../src/workflow/adapters/clock.ts';
import { findWorkflow } from '../../../src/workflow/adapters/files.ts';
import type { Runtime } from '../../../src/workflow/adapters/runtime.ts';
import { executeRun } from '../../../src/workflow/engine.ts';
import type { WorkflowEvent } from '../../../src/workflow/events.ts';
import type { RunState } from '../../../src/workflow/model.ts';
import { createRun, newRunId, resolveParams } from '../../../src/workflow/run-state.ts';
import { builtinTasks, taskMap } from '../../../src/workflow/tasks/index.ts';

export interface RunOptions {
  /** The workspace folder holding the workflow. */
  dir: string;
  /** Parameters given on the command line. */
  given?: Record<string, string>;
  /** The environment parameters and secrets are read from. */
  env?: Record<string, string>;
  /** Who holds the run's lease. */
  holder: string;
  pollMs?: number;
  onEvent?: (e: WorkflowEvent, runId: string) => void;
}

export interface RunResult {
  end: RunState;
  runId: string;
  /** Parameter diagnostics (expected empty). */
  diagnostics: unknown[];
  events: WorkflowEvent[];
  /** Wall time of the run itself (after the workflow was found and its parameters resolved). */
  ms: number;
}

export async function runWorkflow(rt: Runtime, name: string, o: RunOptions): Promise<RunResult> {
  const { workflow } = await findWorkflow(name, o.dir, builtinTasks);
  const env = o.env ?? {};
  const { params, secrets, diagnostics } = resolveParams(workflow.spec.params, o.given ?? {}, env);
  const runId = newRunId(workflow.name, Date.now(), Math.random);
  const events: WorkflowEvent[] = [];
  const start = performance.now();
  const end = await executeRun(createRun(workflow, runId, params, Date.now()), {
    tasks: taskMap(),
    store: rt.store,
    clock: systemClock,
    ports: rt.ports,
    holder: o.holder,
    secrets,
    ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
    onEvent: (e) => {
      events.push(e);
      o.onEvent?.(e, runId);
    },
  });
  return { end, runId, diagnostics, events, ms: performance.now() - start };
}
