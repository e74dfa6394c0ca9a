/** The remediation policy in resolved form (durations in ms), and the ledger's records. */
import type { KubeObject, ObjectRef } from '../../model/object.ts';

export const ActionType = {
  rolloutRestart: 'rollout-restart',
  deletePod: 'delete-pod',
  scale: 'scale',
  deleteJob: 'delete-job',
} as const;
export type ActionType = (typeof ActionType)[keyof typeof ActionType];

export interface AllowedAction {
  action: ActionType;
  detectors: readonly string[];
  transientOnly: boolean;
  minReplicas?: number;
  maxReplicas?: number;
}

export interface Policy {
  dryRun: boolean;
  include: readonly string[];
  exclude: readonly string[];
  actions: readonly AllowedAction[];
  perWorkloadPerHour: number;
  perClusterPerHour: number;
  cooldownMs: number;
  breakerFailures: number;
  breakerResetMs: number;
  verifyTimeoutMs: number;
}

/** Notify-only: what runs without a Watchdog document. */
export const notifyOnlyPolicy: Policy = {
  dryRun: false,
  include: [],
  exclude: ['kube-system', 'kube-public', 'kube-node-lease'],
  actions: [],
  perWorkloadPerHour: 2,
  perClusterPerHour: 10,
  cooldownMs: 10 * 60_000,
  breakerFailures: 3,
  breakerResetMs: 3_600_000,
  verifyTimeoutMs: 5 * 60_000,
};

/** How to take an action back, recorded before the action runs. */
export type Inverse =
  | {
      /** Put the pod template's restartedAt annotation back (the old ReplicaSet comes back). */
      type: 'restore-restarted-at';
      previous: string | null;
      /** The ReplicaSet / revision that ran before, for the record. */
      previousRevision?: string;
    }
  | { type: 'scale'; replicas: number }
  | { type: 'recreate'; manifest: KubeObject }
  | { type: 'none'; why: string };

export interface PlannedAction {
  action: ActionType;
  target: ObjectRef;
  /** scale: the new replica count. */
  replicas?: number;
  /** The kubectl command a human would type for the same action. */
  command: string;
}

export const LedgerStatus = {
  pending: 'pending',
  verified: 'verified',
  failed: 'failed',
  undone: 'undone',
  dryRun: 'dry-run',
} as const;
export type LedgerStatus = (typeof LedgerStatus)[keyof typeof LedgerStatus];

export interface LedgerEntry {
  /** `wd-<time base36>-<n>`: what `berth watchdog undo <id>` takes. */
  id: string;
  /** ms since the epoch, when it was recorded (before acting). */
  at: number;
  fingerprint: string;
  incident: string;
  action: PlannedAction;
  inverse: Inverse;
  status: LedgerStatus;
  /** What verification saw (readiness reason), or why it failed. */
  result?: string;
  finishedAt?: number;
}
