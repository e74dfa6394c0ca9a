/**
 * The API server's defaulting that changes what Pod Security admission sees, applied before the
 * emulation (admission runs after defaulting). From k8s.io/kubernetes pkg/apis/core/v1
 * defaults.go: SetDefaults_Volume (a volume with no source becomes an emptyDir) and
 * SetDefaults_Pod (with hostNetwork, a container port's hostPort defaults to its containerPort).
 * Pure: returns a defaulted copy of the parts it touches, the input is not changed.
 */
import { isRecord, type PodSpec } from './pods.ts';

const volumeSources = new Set([
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
]);

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export function applyPodDefaults(spec: PodSpec): PodSpec {
  let out = spec;
  const copy = (): Record<string, unknown> => {
    if (out === spec) out = { ...spec };
    return out;
  };
  if (Array.isArray(spec.volumes)) {
    let changed = false;
    const volumes = spec.volumes.map((v: unknown) => {
      if (!isRecord(v) || Object.keys(v).some((k) => volumeSources.has(k) && v[k] != null))
        return v;
      changed = true;
      return { ...v, emptyDir: {} };
    });
    if (changed) copy().volumes = volumes;
  }
  if (spec.hostNetwork === true) {
    for (const list of containerLists) {
      const containers: unknown = spec[list];
      if (!Array.isArray(containers)) continue;
      copy()[list] = containers.map((c: unknown) => {
        if (!isRecord(c) || !Array.isArray(c.ports)) return c;
        const ports = c.ports.map((p: unknown) =>
          isRecord(p) &&
          (p.hostPort === undefined || p.hostPort === 0) &&
          typeof p.containerPort === 'number'
            ? { ...p, hostPort: p.containerPort }
            : p,
        );
        return { ...c, ports };
      });
    }
  }
  return out;
}
