/**
 * The watchdog's data: the cluster state detectors read, and the findings they return. Plain
 * objects only; the adapters fill `ClusterState` from informers, metrics.k8s.io and log tails.
 */
import type { KubeObject, ObjectRef } from '../model/object.ts';

export const Severity = { info: 'info', warning: 'warning', critical: 'critical' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export const severityRank: Readonly<Record<Severity, number>> = {
  info: 0,
  warning: 1,
  critical: 2,
};

/** One sample of a node's usage (metrics.k8s.io NodeMetrics). */
export interface NodeUsageSample {
  node: string;
  /** ms since the epoch. */
  at: number;
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

/** A pod's current usage (metrics.k8s.io PodMetrics, containers summed). */
export interface PodUsage {
  namespace: string;
  name: string;
  cpu: number;
  memory: number;
}

/** A volume's fill level (kubelet volume stats), or a node's root filesystem (`pvc` absent). */
export interface VolumeUsage {
  node: string;
  namespace?: string;
  pvc?: string;
  usedBytes: number;
  capacityBytes: number;
}

/**
 * What detectors see. `objects` is keyed by kind key (`Pod`, `apps/Deployment`,
 * `argoproj.io/Application`): one map, not one field per kind, so a detector names what it
 * reads in `reads` and the adapters watch exactly that.
 */
export interface ClusterState {
  /** ms since the epoch: the detectors' clock. */
  now: number;
  objects: Readonly<Record<string, readonly KubeObject[]>>;
  /** Node usage samples, oldest first (the metrics poller keeps a window). */
  nodeUsage?: readonly NodeUsageSample[];
  podUsage?: readonly PodUsage[];
  volumeUsage?: readonly VolumeUsage[];
  /** Log tails of failing containers, keyed `namespace/pod/container`. Untrusted text. */
  logTails?: Readonly<Record<string, string>>;
}

/** Thresholds the detectors apply; every one has a default and can be set in the Watchdog spec. */
export interface DetectorOptions {
  /** Warning events younger than this count. @default 20 min */
  eventWindowMs: number;
  /** A pod may be Pending (scheduled, starting) this long before it is a problem. @default 5 min */
  pendingGraceMs: number;
  /** A pod may be unschedulable this long before it is a problem. @default 2 min */
  unschedulableGraceMs: number;
  /** A Service may lack ready endpoints this long after creation. @default 2 min */
  serviceGraceMs: number;
  /** OOM kills younger than this count. @default 1 h */
  oomWindowMs: number;
  /** PVC / node disk fill alarm. @default 85 */
  diskPercent: number;
  /** Node CPU / memory alarm. @default 90 */
  nodeUsagePercent: number;
  /** Usage must stay above the alarm this long. @default 10 min */
  sustainedMs: number;
  /** Certificates expiring within this many days. @default 21 */
  certificateDays: number;
}

export const defaultDetectorOptions: DetectorOptions = {
  eventWindowMs: 20 * 60_000,
  pendingGraceMs: 5 * 60_000,
  unschedulableGraceMs: 2 * 60_000,
  serviceGraceMs: 2 * 60_000,
  oomWindowMs: 60 * 60_000,
  diskPercent: 85,
  nodeUsagePercent: 90,
  sustainedMs: 10 * 60_000,
  certificateDays: 21,
};

/** How a container last ended: the transient-cause classifier reads it. */
export interface Termination {
  container: string;
  reason: string;
  exitCode: number;
}

/** One problem with one object. Data, never an error. */
export interface Finding {
  detector: string;
  severity: Severity;
  object: ObjectRef;
  /** Short machine-friendly reason: `CrashLoopBackOff`, `NotReady`, `ProgressDeadlineExceeded`. */
  reason: string;
  /** One human sentence. */
  message: string;
  /** Facts behind it, one per line (conditions, counts, scheduler message). */
  evidence: string[];
  /**
   * Stable identity of the problem across pod replacements and watchdog restarts: a hash of
   * detector, the owning workload (or the object) and the reason. Same problem, same incident.
   */
  fingerprint: string;
  /** The controller that owns the object (a pod's Deployment): what remediation acts on. */
  owner?: ObjectRef;
  /** The node the object runs on (pods), for grouping under a node's incident. */
  node?: string;
  /** Verbatim text (a log tail): untrusted, shown fenced, never interpreted. */
  excerpt?: string;
  termination?: Termination;
}

/** A detector: pure, total, one file in detectors/, registered once in detectors/index.ts. */
export interface Detector {
  /** Stable kebab-case id. */
  id: string;
  /** Highest severity it reports. */
  severity: Severity;
  /** What it looks at and when it reports (docs/detectors.md). */
  description: string;
  /** What a human should do about its findings, in one sentence. */
  remediation: string;
  /** Kind keys it reads from `ClusterState.objects`; `metrics` for usage data. */
  reads: readonly string[];
  /**
   * When it runs: `watch` on every change of what it reads, `metrics` after each metrics poll,
   * `schedule` on its cron schedule (reports, time-based checks).
   */
  trigger: 'watch' | 'metrics' | 'schedule';
  /** Default schedule (`every 1h`, `0 8 * * *`) for `schedule` detectors; also run once per pass. */
  schedule?: string;
  /** Delivered even when all is well (the daily report). */
  always?: boolean;
  detect(state: ClusterState, options: DetectorOptions): Finding[];
}
