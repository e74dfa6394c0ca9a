/**
 * What the autoscaler's informers keep of each object (ADR 0155): only the fields it reads.
 * A pod: name, namespace, labels (the Deployment's selector), the busy and deletion-cost
 * annotations, creation and deletion times, phase and the Ready condition. A Deployment: name,
 * namespace, labels, `spec.replicas` and `spec.selector`. The resourceVersion stays (the informer
 * compares it on a re-list). Everything else (specs, other annotations such as
 * kubectl.kubernetes.io/last-applied-configuration, managedFields, status details) is dropped
 * before the object is cached.
 */
import type { KubeObject, ObjectMeta } from '../model/object.ts';
import { BUSY_ANNOTATION, DELETION_COST_ANNOTATION } from './names.ts';

const KEPT_ANNOTATIONS = [BUSY_ANNOTATION, DELETION_COST_ANNOTATION];

function slimMeta(m: ObjectMeta, annotations: readonly string[]): ObjectMeta {
  const out: ObjectMeta = { name: m.name };
  if (m.namespace !== undefined) out.namespace = m.namespace;
  if (m.labels) out.labels = m.labels;
  for (const key of ['resourceVersion', 'creationTimestamp', 'deletionTimestamp'] as const)
    if (m[key] !== undefined) out[key] = m[key];
  const kept: Record<string, string> = {};
  for (const a of annotations) {
    const value = m.annotations?.[a];
    if (value !== undefined) kept[a] = value;
  }
  if (Object.keys(kept).length) out.annotations = kept;
  return out;
}

/** A pod as `podViews` and the Deployment selector need it. */
export function slimPod(pod: KubeObject): KubeObject {
  const status = (pod.status ?? {}) as {
    phase?: string;
    conditions?: { type?: string; status?: string }[];
  };
  const ready = status.conditions?.filter((c) => c.type === 'Ready');
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: slimMeta(pod.metadata, KEPT_ANNOTATIONS),
    status: {
      ...(status.phase !== undefined ? { phase: status.phase } : {}),
      ...(ready?.length
        ? { conditions: ready.map((c) => ({ type: c.type, status: c.status })) }
        : {}),
    },
  };
}

/** A Deployment as the controller reads it: replicas and selector. */
export function slimDeployment(deployment: KubeObject): KubeObject {
  const spec = (deployment.spec ?? {}) as { replicas?: number; selector?: unknown };
  return {
    apiVersion: deployment.apiVersion,
    kind: deployment.kind,
    metadata: slimMeta(deployment.metadata, []),
    spec: {
      ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}),
      ...(spec.selector !== undefined ? { selector: spec.selector } : {}),
    },
  };
}
