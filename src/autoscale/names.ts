/** Names the autoscaler, the renderer and the agents agree on (docs/autoscale.md). */

/** Field manager of every write the autoscaler makes (/scale and pod annotations). */
export const FIELD_MANAGER = 'berth-autoscaler';
/** coordination.k8s.io Lease of leader election, in the autoscaler's namespace. */
export const LEASE_NAME = 'berth-autoscaler';
/** Label the autoscaler's pods carry (the queue stores' NetworkPolicies admit them). */
export const AUTOSCALER_POD_LABEL = 'berth.dev/autoscaler';
/** Annotation an agent sets on its own pod while it works on a task: "true" (ADR 0087). */
export const BUSY_ANNOTATION = 'berth.dev/busy';
/** The ReplicaSet controller removes pods with the lowest cost first. */
export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
/** Annotations on a berth-scaled Deployment: the engine and its bounds (for audit and humans). */
export const ENGINE_ANNOTATION = 'berth.dev/autoscaler';
export const MIN_ANNOTATION = 'berth.dev/min-replicas';
export const MAX_ANNOTATION = 'berth.dev/max-replicas';
