/**
 * Scale-down that never kills a busy agent (ADR 0087), pure: agents mark their own pod
 * `berth.dev/busy: "true"` while they work. Before replicas go down, the idle pods chosen to go
 * get `controller.kubernetes.io/pod-deletion-cost: "-1000"` and busy pods `"1000"`, so the
 * ReplicaSet controller removes exactly the chosen idle pods.
 */
import type { KubeObject } from '../model/object.ts';
import { BUSY_ANNOTATION, DELETION_COST_ANNOTATION } from './names.ts';

export const VICTIM_COST = '-1000';
export const BUSY_COST = '1000';

export interface PodView {
  name: string;
  busy: boolean;
  /** Ready condition true. */
  ready: boolean;
  /** metadata.creationTimestamp, for ordering. */
  created: string;
  /** The current pod-deletion-cost annotation. */
  cost?: string;
}

/** Pods that count: not terminating, not finished. */
export function podViews(pods: readonly KubeObject[]): PodView[] {
  const out: PodView[] = [];
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const status = (p.status ?? {}) as {
      phase?: string;
      conditions?: { type?: string; status?: string }[];
    };
    if (status.phase === 'Succeeded' || status.phase === 'Failed') continue;
    const a = p.metadata.annotations ?? {};
    const cost = a[DELETION_COST_ANNOTATION];
    out.push({
      name: p.metadata.name,
      busy: a[BUSY_ANNOTATION] === 'true',
      ready: status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      created: typeof p.metadata.creationTimestamp === 'string' ? p.metadata.creationTimestamp : '',
      ...(cost !== undefined ? { cost } : {}),
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function countIdle(pods: readonly PodView[]): { idle: number; busy: number } {
  const busy = pods.filter((p) => p.busy).length;
  return { idle: pods.length - busy, busy };
}

export interface CostPlan {
  /** The idle pods that will go (not-ready first, then the newest). */
  victims: string[];
  /** Annotation changes: pod name → new cost, or null to remove the annotation. */
  patches: Map<string, string | null>;
}

/** Which `count` idle pods go, and the deletion costs that make the ReplicaSet pick them. */
export function planDeletionCosts(pods: readonly PodView[], count: number): CostPlan {
  const idle = pods
    .filter((p) => !p.busy)
    .sort((a, b) =>
      a.ready !== b.ready
        ? a.ready
          ? 1
          : -1
        : a.created > b.created
          ? -1
          : a.created < b.created
            ? 1
            : a.name < b.name
              ? -1
              : 1,
    );
  const victims = idle.slice(0, Math.max(0, count)).map((p) => p.name);
  const chosen = new Set(victims);
  const patches = new Map<string, string | null>();
  for (const p of pods) {
    const want = chosen.has(p.name) ? VICTIM_COST : p.busy ? BUSY_COST : undefined;
    if ((p.cost ?? undefined) === want) continue;
    patches.set(p.name, want ?? null);
  }
  return { victims: victims.sort(), patches };
}
