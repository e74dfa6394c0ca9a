import type { KubeObject } from '../../model/object.ts';
import { describeRef } from '../../model/object.ts';
import { fieldAt, stringAt } from './fields.ts';
import { current, failed, inProgress, type Readiness, type ReadinessContext } from './types.ts';

const defaultClassAnnotations = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/**
 * A PVC is ready when Bound and failed when Lost. A Pending PVC of a `WaitForFirstConsumer`
 * class is never awaited: it binds only once a pod using it is scheduled, so gating on it
 * ahead of that pod deadlocks (argo-cd#12840). Its consumer's readiness covers it instead.
 * A class that does not exist fails at once: the claim would stay Pending forever.
 */
export function pvcRule(obj: KubeObject, ctx: ReadinessContext): Readiness {
  const phase = stringAt(obj, 'status.phase') ?? 'Pending';
  if (phase === 'Bound')
    return current(`Bound to ${stringAt(obj, 'spec.volumeName') ?? 'a volume'}`);
  if (phase === 'Lost') return failed('Lost: its PersistentVolume is gone');
  const explicit = fieldAt(obj, 'spec.storageClassName');
  if (explicit === '') return inProgress('Pending: waiting for a matching PersistentVolume');
  const classes = ctx.storageClasses;
  if (!classes) return inProgress(`${phase}: waiting to be bound`);
  const storageClass =
    typeof explicit === 'string'
      ? classes.find((c) => c.metadata.name === explicit)
      : classes.find((c) =>
          defaultClassAnnotations.some((a) => c.metadata.annotations?.[a] === 'true'),
        );
  if (!storageClass) {
    return typeof explicit === 'string'
      ? failed(`StorageClass "${explicit}" does not exist: the claim can never bind`)
      : inProgress('Pending: no default StorageClass in the cluster');
  }
  if (fieldAt(storageClass, 'volumeBindingMode') !== 'WaitForFirstConsumer')
    return inProgress(
      `${phase}: waiting for StorageClass ${storageClass.metadata.name} to provision`,
    );
  const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
  const consumers = ctx.pvcConsumers?.get(key) ?? [];
  const by = consumers.length
    ? `its consumer ${consumers.map(describeRef).join(', ')} is awaited instead`
    : 'no consumer in this apply';
  return current(
    `WaitForFirstConsumer (${storageClass.metadata.name}): binds when a pod using it is scheduled; ${by}`,
  );
}
