/** Where each workload kind keeps the pod it runs: one table for audit, apply and readiness. */
import { groupKindOf } from './group-kind.ts';

/**
 * Path from the object's root to its pod template (`metadata` + `spec`), by group/kind. A Pod
 * is its own template (empty path). Older groups that served the same kinds (`extensions`)
 * are included so old manifests are still understood.
 */
const podTemplatePaths: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  ReplicationController: ['spec', 'template'],
  'apps/Deployment': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'extensions/Deployment': ['spec', 'template'],
  'extensions/DaemonSet': ['spec', 'template'],
  'extensions/ReplicaSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The path to the object's pod template, or undefined for kinds that run no pods. */
export function podTemplatePathOf(obj: {
  apiVersion: string;
  kind: string;
}): readonly string[] | undefined {
  return podTemplatePaths[groupKindOf(obj)];
}

/** The path to the object's pod spec, or undefined for kinds that run no pods. */
export function podSpecPathOf(obj: { apiVersion: string; kind: string }): string[] | undefined {
  const template = podTemplatePathOf(obj);
  return template ? [...template, 'spec'] : undefined;
}

/** The object's pod spec, or undefined for other kinds or when it is missing or not a map. */
export function podSpecOf(obj: {
  apiVersion: string;
  kind: string;
}): Record<string, unknown> | undefined {
  const path = podSpecPathOf(obj);
  if (!path) return undefined;
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur !== null && typeof cur === 'object' && !Array.isArray(cur)
    ? (cur as Record<string, unknown>)
    : undefined;
}
