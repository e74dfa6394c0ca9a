import type { ObjectRef } from '../model/object.ts';
import type { ApplyLane, ApplyPhase } from './plan/index.ts';
import type { BlockingPod, Readiness, ReadinessStatus } from './readiness/index.ts';

/** What happens during an apply, in order; reporters turn these into lines or a live view. */
export type ApplyEvent =
  | { type: 'phase'; phase: ApplyPhase; count: number; lane?: ApplyLane }
  | { type: 'applied'; ref: ObjectRef; phase: ApplyPhase }
  | { type: 'rejected'; ref: ObjectRef; message: string }
  | { type: 'warning'; ref: ObjectRef; message: string }
  | { type: 'drift'; ref: ObjectRef; fields: DriftedField[]; dryRun: boolean }
  | { type: 'waiting'; pending: number; total: number }
  | { type: 'status'; ref: ObjectRef; readiness: Readiness; elapsedMs: number }
  | { type: 'tick'; elapsedMs: number };

/** A field another manager had changed, taken back by a forced apply (ADR 0030). */
export interface DriftedField {
  /** `spec.template.spec.containers[name="api"].image`, as the server names it. */
  field: string;
  /** The field manager that had set it (`kubectl-edit`, `kubectl-scale`...). */
  manager: string;
}

/** How the apply ended. */
export const ApplyOutcome = {
  /** Applied, and every object is ready (`--wait`). */
  ready: 'ready',
  /** Applied (without `--wait`, or a server-side dry run). */
  applied: 'applied',
  /** The API server refused one or more objects; later phases were not applied. */
  rejected: 'rejected',
  /** An object failed (crash loop, image pull error, deadline exceeded...). */
  failed: 'failed',
  /** The deadline passed with objects still in progress. */
  timeout: 'timeout',
} as const;
export type ApplyOutcome = (typeof ApplyOutcome)[keyof typeof ApplyOutcome];

export interface ObjectResult extends ObjectRef {
  phase: ApplyPhase;
  /** applied; rejected by the server; skipped because an earlier phase was rejected. */
  action: 'applied' | 'rejected' | 'skipped';
  /** Readiness when known (after apply; final after a wait). */
  status?: ReadinessStatus;
  reason?: string;
  blockingPod?: BlockingPod;
  /** The server's message, when rejected. */
  error?: string;
  /** When the object became ready, counted from the start of the apply. */
  readyAfterMs?: number;
  /** Fields taken back from other managers (drift), or that would be in a dry run. */
  drift?: DriftedField[];
  /** An autoscaled workload created at its autoscaler's minimum. */
  createdAtReplicas?: number;
}

/** The result of an apply; also the `--output json` document (see docs/deploy.md). */
export interface ApplyResult {
  apiVersion: 'berth.dev/v1alpha1';
  kind: 'ApplyResult';
  outcome: ApplyOutcome;
  cluster: { context: string; server: string };
  dryRun: boolean;
  waited: boolean;
  elapsedMs: number;
  objects: ObjectResult[];
  warnings: { object: string; message: string }[];
  /** Set when the API server, not the objects, is why the apply or wait ended. */
  serverProblem?: string;
  summary: {
    total: number;
    applied: number;
    rejected: number;
    skipped: number;
    current: number;
    inProgress: number;
    failed: number;
  };
}
