/**
 * Autoscaled workloads (ADR 0064): a Deployment or StatefulSet that an HPA or a KEDA
 * ScaledObject of the same apply scales, or that berth's own autoscaler scales (it carries the
 * `berth.dev/min-replicas` annotation), and that is rendered without `spec.replicas`, is
 * created at the autoscaler's minimum, and the field is then left to the autoscaler; the wait
 * judges it against that minimum. Pure.
 */
import { groupKindOf } from '../model/group-kind.ts';
import type { KubeObject } from '../model/object.ts';
import { MIN_ANNOTATION } from '../autoscale/names.ts';

export interface Autoscaled {
  minReplicas: number;
  /** `HorizontalPodAutoscaler vapora/backend`. */
  by: string;
}

/** Workload key (`group/Kind/namespace/name`) → its autoscaler's minimum. */
export function autoscaledWorkloads(objects: readonly KubeObject[]): Map<string, Autoscaled> {
  const out = new Map<string, Autoscaled>();
  for (const o of objects) {
    const own = Number(o.metadata.annotations?.[MIN_ANNOTATION]);
    if (Number.isInteger(own) && own >= 0 && leavesReplicas(o)) {
      const where = o.metadata.namespace ? `${o.metadata.namespace}/` : '';
      out.set(`${groupKindOf(o)}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, {
        minReplicas: Math.max(1, own),
        by: `berth autoscaler (${MIN_ANNOTATION} on ${o.kind} ${where}${o.metadata.name})`,
      });
      continue;
    }
    const spec = (o.spec ?? {}) as Record<string, unknown>;
    const target = spec.scaleTargetRef as
      { apiVersion?: string; kind?: string; name?: string } | undefined;
    if (!target?.name) continue;
    let min: number;
    if (groupKindOf(o) === 'autoscaling/HorizontalPodAutoscaler')
      min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    else if (groupKindOf(o) === 'keda.sh/ScaledObject')
      // A pool that may scale to zero is still created with one pod, so the rollout is verified.
      min = Math.max(1, typeof spec.minReplicaCount === 'number' ? spec.minReplicaCount : 0);
    else continue;
    const kind = target.kind ?? 'Deployment';
    const group = (target.apiVersion ?? 'apps/v1').split('/').slice(0, -1).join('/') || 'apps';
    out.set(`${group}/${kind}/${o.metadata.namespace ?? ''}/${target.name}`, {
      minReplicas: min,
      by: `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`,
    });
  }
  return out;
}

/** Whether the object leaves `spec.replicas` to someone else (it does not set it). */
export function leavesReplicas(obj: KubeObject): boolean {
  const spec = obj.spec as Record<string, unknown> | undefined;
  return spec !== undefined && spec.replicas === undefined;
}

/** The object with `spec.replicas` set. */
export function withReplicas(obj: KubeObject, replicas: number): KubeObject {
  return { ...obj, spec: { ...(obj.spec as Record<string, unknown>), replicas } };
}

/** Only `spec.replicas`, for the create-time owner's apply. */
export function replicasOnly(obj: KubeObject, replicas: number): KubeObject {
  const metadata = {
    name: obj.metadata.name,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
  };
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata, spec: { replicas } };
}

/** A reason when the live workload has fewer ready replicas than its autoscaler's minimum. */
export function belowMinimum(live: KubeObject, min: number): string | undefined {
  const status = (live.status ?? {}) as { readyReplicas?: number };
  const spec = (live.spec ?? {}) as { replicas?: number };
  const ready = status.readyReplicas ?? 0;
  if (ready >= min) return undefined;
  const asked = spec.replicas ?? 1;
  return asked < min
    ? `ready: ${ready}/${min}; ${asked} replica(s) asked, below its autoscaler's minimum ${min} (is the autoscaler running?)`
    : `ready: ${ready}/${min} (autoscaler minimum)`;
}
