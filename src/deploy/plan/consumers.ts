import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { refOf } from '../../model/object.ts';

/** Where each workload kind keeps its pod spec. */
const podSpecPaths: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The pod spec of a workload object, or undefined for other kinds. */
export function podSpecOf(obj: KubeObject): Record<string, unknown> | undefined {
  const path = podSpecPaths[obj.kind];
  if (!path) return undefined;
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>) : undefined;
}

/**
 * For each PVC named by a workload's pod volumes, the workloads in `objects` that use it,
 * keyed `namespace/claimName`. A WaitForFirstConsumer PVC binds only when one of them runs,
 * so the readiness engine awaits them instead of the claim.
 */
export function findPvcConsumers(
  objects: readonly KubeObject[],
  defaultNamespace: string,
): Map<string, ObjectRef[]> {
  const out = new Map<string, ObjectRef[]>();
  for (const obj of objects) {
    const spec = podSpecOf(obj);
    const volumes = spec?.volumes;
    if (!Array.isArray(volumes)) continue;
    const ns = obj.metadata.namespace ?? defaultNamespace;
    for (const v of volumes as unknown[]) {
      const claim = (v as { persistentVolumeClaim?: { claimName?: unknown } }).persistentVolumeClaim
        ?.claimName;
      if (typeof claim !== 'string') continue;
      const key = `${ns}/${claim}`;
      const list = out.get(key) ?? [];
      list.push(refOf(obj));
      out.set(key, list);
    }
  }
  return out;
}
