import type { KubeObject, ObjectRef } from '../../model/object.ts';

/**
 * The three statuses the engine reports, named as kstatus names them. kstatus' `Terminating`
 * is reported as `InProgress` (with the reason "being deleted"); `NotFound` is the runner's
 * business, not a rule's.
 */
export const ReadinessStatus = {
  current: 'Current',
  inProgress: 'InProgress',
  failed: 'Failed',
} as const;
export type ReadinessStatus = (typeof ReadinessStatus)[keyof typeof ReadinessStatus];

/** The pod that keeps a workload from being ready, and why. */
export interface BlockingPod {
  name: string;
  /** Short machine-friendly reason: `CrashLoopBackOff`, `Unschedulable`, `ContainerCreating`... */
  reason: string;
  /** The human sentence: container, message, last exit. */
  message: string;
}

export interface Readiness {
  status: ReadinessStatus;
  /** Why, in one human sentence ("Ready: 1/3; pod api-7c9f-x2: ContainerCreating"). */
  reason: string;
  blocking?: BlockingPod;
}

/**
 * What a rule may know besides the object itself. Everything is optional: without pods the
 * rules still decide from the object's status, they only explain less.
 */
export interface ReadinessContext {
  /** Pods in the object's namespace (the rule selects its own by label selector). */
  pods?: readonly KubeObject[];
  /** ReplicaSets in the object's namespace, to tell a Deployment's current pods from old ones. */
  replicaSets?: readonly KubeObject[];
  /** The cluster's StorageClasses, to know a PVC's volume binding mode. */
  storageClasses?: readonly KubeObject[];
  /**
   * Consumers of each PVC in the same apply, keyed `namespace/name` (see `findPvcConsumers` in
   * src/deploy/plan). A WaitForFirstConsumer PVC is never awaited ahead of them.
   */
  pvcConsumers?: ReadonlyMap<string, readonly ObjectRef[]>;
}

/** One kind's rule: pure, total, never throws on a malformed status. */
export type ReadinessRule = (obj: KubeObject, ctx: ReadinessContext) => Readiness;

export function current(reason: string): Readiness {
  return { status: ReadinessStatus.current, reason };
}
export function inProgress(reason: string, blocking?: BlockingPod): Readiness {
  return blocking
    ? { status: ReadinessStatus.inProgress, reason, blocking }
    : { status: ReadinessStatus.inProgress, reason };
}
export function failed(reason: string, blocking?: BlockingPod): Readiness {
  return blocking
    ? { status: ReadinessStatus.failed, reason, blocking }
    : { status: ReadinessStatus.failed, reason };
}
