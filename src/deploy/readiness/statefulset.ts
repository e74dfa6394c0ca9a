import type { KubeObject } from '../../model/object.ts';
import { fieldAt, numberAt, stringAt } from './fields.ts';
import { explainWithPods, podsOf } from './workload-pods.ts';
import { current, type Readiness, type ReadinessContext } from './types.ts';

/**
 * kstatus' StatefulSet rule: OnDelete is current at once; replicas and ready reach spec; with
 * a partition, updated reaches spec − partition; otherwise current reaches spec and
 * currentRevision equals updateRevision.
 */
export function statefulSetRule(obj: KubeObject, ctx: ReadinessContext): Readiness {
  if (stringAt(obj, 'spec.updateStrategy.type') === 'OnDelete')
    return current('OnDelete update strategy: pods are replaced by hand');
  const waiting = statefulSetProgress(obj);
  if (waiting === undefined)
    return current(`all ${numberAt(obj, 'status.replicas', 0)} replica(s) ready and updated`);
  const updateRevision = stringAt(obj, 'status.updateRevision');
  const pods = podsOf(
    obj,
    ctx.pods,
    (p) => !updateRevision || p.metadata.labels?.['controller-revision-hash'] === updateRevision,
  );
  return explainWithPods(waiting, pods);
}

function statefulSetProgress(obj: KubeObject): string | undefined {
  const spec = numberAt(obj, 'spec.replicas', 1);
  const replicas = numberAt(obj, 'status.replicas', 0);
  const ready = numberAt(obj, 'status.readyReplicas', 0);
  const currentReplicas = numberAt(obj, 'status.currentReplicas', 0);
  const updated = numberAt(obj, 'status.updatedReplicas', 0);
  if (spec > replicas) return `replicas: ${replicas}/${spec}`;
  if (spec > ready) return `ready: ${ready}/${spec}`;
  if (replicas > spec) return `pending termination: ${replicas - spec}`;
  const partition = fieldAt(obj, 'spec.updateStrategy.rollingUpdate.partition');
  if (typeof partition === 'number') {
    return updated < spec - partition
      ? `partitioned rollout: updated ${updated}/${spec - partition}`
      : undefined;
  }
  if (spec > currentReplicas) return `current: ${currentReplicas}/${spec}`;
  const currentRevision = stringAt(obj, 'status.currentRevision');
  const updateRevision = stringAt(obj, 'status.updateRevision');
  if (currentRevision !== updateRevision)
    return `rolling to revision ${updateRevision ?? '?'} (at ${currentRevision ?? '?'})`;
  return undefined;
}
