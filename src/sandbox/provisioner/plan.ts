/**
 * The sandbox provisioner's decisions, pure: given the claims, volumes and storage classes,
 * which PersistentVolumes to create and which to delete. The real PV controller of
 * kube-controller-manager then binds each claim to the volume made for it (claimRef).
 *
 * - A claim of a class served by `sandboxProvisioner`, unbound and not being deleted, gets a
 *   volume `pvc-<claim uid>` of the requested size and access modes.
 * - Immediate classes: at once, a hostPath volume usable on any node.
 * - WaitForFirstConsumer classes: only once the scheduler has picked a node for the consuming
 *   pod (annotation `volume.kubernetes.io/selected-node`), a `local` volume whose node affinity
 *   pins it to that node, as a real topology-aware provisioner does.
 * - A volume this provisioner made that is Released with reclaim policy Delete is deleted.
 */
import type {
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1StorageClass,
} from '@kubernetes/client-node';

export const sandboxProvisioner = 'sandbox.berth.dev/provisioner';
export const selectedNodeAnnotation = 'volume.kubernetes.io/selected-node';
export const provisionedByAnnotation = 'pv.kubernetes.io/provisioned-by';
/** Where hostPath volumes would live; nothing is written there (no kubelet runs). */
export const volumeRoot = '/var/lib/berth-sandbox/volumes';

export type ProvisionAction =
  { kind: 'create'; volume: V1PersistentVolume; claim: string } | { kind: 'delete'; name: string };

export interface ClusterVolumes {
  claims: readonly V1PersistentVolumeClaim[];
  volumes: readonly V1PersistentVolume[];
  classes: readonly V1StorageClass[];
}

function defaultClassName(classes: readonly V1StorageClass[]): string | undefined {
  const isDefault = (c: V1StorageClass) =>
    c.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
  return classes.find(isDefault)?.metadata?.name;
}

export function volumeNameFor(claim: V1PersistentVolumeClaim): string | undefined {
  const uid = claim.metadata?.uid;
  return uid ? `pvc-${uid}` : undefined;
}

function volumeFor(
  claim: V1PersistentVolumeClaim,
  storageClass: V1StorageClass,
  name: string,
  node: string | undefined,
): V1PersistentVolume {
  const meta = claim.metadata ?? {};
  const storage = claim.spec?.resources?.requests?.storage ?? '1Gi';
  const path = `${volumeRoot}/${name}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: { [provisionedByAnnotation]: sandboxProvisioner },
      labels: { 'sandbox.berth.dev/claim-namespace': meta.namespace ?? '' },
    },
    spec: {
      capacity: { storage },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      storageClassName: storageClass.metadata?.name ?? '',
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: meta.namespace ?? 'default',
        name: meta.name ?? '',
        uid: meta.uid ?? '',
      },
      ...(node
        ? {
            local: { path },
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'kubernetes.io/hostname', operator: 'In', values: [node] },
                    ],
                  },
                ],
              },
            },
          }
        : { hostPath: { path, type: 'DirectoryOrCreate' } }),
    },
  };
}

function isReleasedOwnVolume(volume: V1PersistentVolume): boolean {
  return (
    volume.metadata?.annotations?.[provisionedByAnnotation] === sandboxProvisioner &&
    volume.status?.phase === 'Released' &&
    volume.spec?.persistentVolumeReclaimPolicy === 'Delete' &&
    !volume.metadata.deletionTimestamp
  );
}

/** What to do now. Idempotent: a volume already made (or being made) is not made again. */
export function planProvisioning(state: ClusterVolumes): ProvisionAction[] {
  const ours = new Map(
    state.classes
      .filter((c) => c.provisioner === sandboxProvisioner && c.metadata?.name)
      .map((c) => [c.metadata?.name ?? '', c]),
  );
  const existing = new Set(state.volumes.map((v) => v.metadata?.name));
  const fallbackClass = defaultClassName(state.classes);
  const actions: ProvisionAction[] = [];
  for (const claim of state.claims) {
    if (claim.spec?.volumeName || claim.metadata?.deletionTimestamp) continue;
    if (claim.status?.phase === 'Bound') continue;
    const className = claim.spec?.storageClassName ?? fallbackClass;
    const storageClass = className === undefined ? undefined : ours.get(className);
    const name = volumeNameFor(claim);
    if (!storageClass || !name || existing.has(name)) continue;
    const node = claim.metadata?.annotations?.[selectedNodeAnnotation];
    const waits = storageClass.volumeBindingMode === 'WaitForFirstConsumer';
    if (waits && !node) continue;
    const ref = `${claim.metadata?.namespace}/${claim.metadata?.name}`;
    actions.push({
      kind: 'create',
      claim: ref,
      volume: volumeFor(claim, storageClass, name, waits ? node : undefined),
    });
  }
  for (const volume of state.volumes)
    if (isReleasedOwnVolume(volume) && volume.metadata?.name)
      actions.push({ kind: 'delete', name: volume.metadata.name });
  return actions;
}
