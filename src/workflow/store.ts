/**
 * Where runs live: the port the engine and the CLI use, and an in-memory implementation for tests.
 * The cluster implementation (adapters/configmap-store.ts) keeps one ConfigMap per run, so
 * `berth workflow resume` works from any machine (ADR 0098).
 */
import type { RunControl, RunState } from './model.ts';

export interface RunSummary {
  id: string;
  workflow: string;
  phase: RunState['phase'];
  startedAt: number;
  finishedAt?: number;
  reason?: string;
}

/** Exclusive right to drive a run; expires unless renewed, so a crashed runner frees it. */
export interface RunLease {
  renew(): Promise<void>;
  release(): Promise<void>;
}

export interface RunStore {
  /** Writes the whole state (called after every transition). */
  save(run: RunState): Promise<void>;
  load(id: string): Promise<RunState | undefined>;
  list(): Promise<RunSummary[]>;
  readControl(id: string): Promise<RunControl>;
  requestCancel(id: string): Promise<void>;
  approve(id: string, step: string, by: string): Promise<void>;
  /** Takes the run's lease for `holder`; throws RunBusyError when another live holder has it. */
  lock(id: string, holder: string, ttlMs: number): Promise<RunLease>;
}

export class RunBusyError extends Error {
  constructor(id: string, holder: string) {
    super(
      `run ${id} is being driven by ${holder}; wait for it to finish or for its lease to expire`,
    );
    this.name = 'RunBusyError';
  }
}

export class RunNotFoundError extends Error {
  constructor(id: string) {
    super(`no run ${id} (berth workflow list shows the runs)`);
    this.name = 'RunNotFoundError';
  }
}

export function summarize(run: RunState): RunSummary {
  const s: RunSummary = {
    id: run.id,
    workflow: run.workflow.name,
    phase: run.phase,
    startedAt: run.startedAt,
  };
  if (run.finishedAt !== undefined) s.finishedAt = run.finishedAt;
  if (run.reason !== undefined) s.reason = run.reason;
  return s;
}

/** Runs kept in memory (tests, dry runs); states are deep-copied in and out like a real store. */
export class MemoryRunStore implements RunStore {
  readonly runs = new Map<string, string>();
  readonly controls = new Map<string, RunControl>();
  readonly leases = new Map<string, { holder: string; until: number }>();
  /** Every saved state in order (tests assert on transitions). */
  readonly history: RunState[] = [];
  constructor(private readonly now: () => number = () => 0) {}

  save(run: RunState): Promise<void> {
    const text = JSON.stringify(run);
    this.runs.set(run.id, text);
    this.history.push(JSON.parse(text) as RunState);
    return Promise.resolve();
  }
  load(id: string): Promise<RunState | undefined> {
    const text = this.runs.get(id);
    return Promise.resolve(text === undefined ? undefined : (JSON.parse(text) as RunState));
  }
  async list(): Promise<RunSummary[]> {
    const all = await Promise.all([...this.runs.keys()].map((id) => this.load(id)));
    return all.filter((r): r is RunState => r !== undefined).map(summarize);
  }
  readControl(id: string): Promise<RunControl> {
    const c = this.controls.get(id) ?? { cancel: false, approvals: {} };
    return Promise.resolve(structuredClone(c));
  }
  requestCancel(id: string): Promise<void> {
    const c = this.controls.get(id) ?? { cancel: false, approvals: {} };
    this.controls.set(id, { ...c, cancel: true });
    return Promise.resolve();
  }
  approve(id: string, step: string, by: string): Promise<void> {
    const c = this.controls.get(id) ?? { cancel: false, approvals: {} };
    this.controls.set(id, { ...c, approvals: { ...c.approvals, [step]: by } });
    return Promise.resolve();
  }
  lock(id: string, holder: string, ttlMs: number): Promise<RunLease> {
    const current = this.leases.get(id);
    if (current && current.holder !== holder && current.until > this.now())
      return Promise.reject(new RunBusyError(id, current.holder));
    this.leases.set(id, { holder, until: this.now() + ttlMs });
    return Promise.resolve({
      renew: () => {
        this.leases.set(id, { holder, until: this.now() + ttlMs });
        return Promise.resolve();
      },
      release: () => {
        if (this.leases.get(id)?.holder === holder) this.leases.delete(id);
        return Promise.resolve();
      },
    });
  }
}
