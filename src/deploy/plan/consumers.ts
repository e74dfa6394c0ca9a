import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { refOf } from '../../model/object.ts';
import { podSpecOf } from '../../model/pod-template.ts';

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
