import { groupKindOf } from '../../model/group-kind.ts';
import type { KubeObject } from '../../model/object.ts';

/**
 * The apply phases, in order. Each phase is applied in parallel; the next starts when the
 * previous one is accepted by the API server (and, after `cluster`, when its CRDs are
 * Established, so custom resources of those CRDs can be applied).
 */
export const ApplyPhase = {
  /** Namespaces, CRDs and other cluster-wide prerequisites. */
  cluster: 'cluster',
  /** Configuration, secrets, identities and RBAC, storage, and network policy. */
  config: 'config',
  /** Workloads and everything that points at them (Services, HPAs, PDBs, Ingresses...). */
  workloads: 'workloads',
} as const;
export type ApplyPhase = (typeof ApplyPhase)[keyof typeof ApplyPhase];

export const phaseOrder: readonly ApplyPhase[] = [
  ApplyPhase.cluster,
  ApplyPhase.config,
  ApplyPhase.workloads,
];

/** Kinds (by `group/Kind`, core group as `Kind`) placed before workloads; the rest are workloads. */
const earlyKinds: Readonly<Record<string, ApplyPhase>> = {
  Namespace: ApplyPhase.cluster,
  'apiextensions.k8s.io/CustomResourceDefinition': ApplyPhase.cluster,
  'scheduling.k8s.io/PriorityClass': ApplyPhase.cluster,
  'storage.k8s.io/StorageClass': ApplyPhase.cluster,
  'node.k8s.io/RuntimeClass': ApplyPhase.cluster,
  'networking.k8s.io/IngressClass': ApplyPhase.cluster,
  ConfigMap: ApplyPhase.config,
  Secret: ApplyPhase.config,
  ServiceAccount: ApplyPhase.config,
  LimitRange: ApplyPhase.config,
  ResourceQuota: ApplyPhase.config,
  PersistentVolume: ApplyPhase.config,
  PersistentVolumeClaim: ApplyPhase.config,
  'rbac.authorization.k8s.io/Role': ApplyPhase.config,
  'rbac.authorization.k8s.io/ClusterRole': ApplyPhase.config,
  'rbac.authorization.k8s.io/RoleBinding': ApplyPhase.config,
  'rbac.authorization.k8s.io/ClusterRoleBinding': ApplyPhase.config,
  'networking.k8s.io/NetworkPolicy': ApplyPhase.config,
  // Before the pods whose updates they restrict (ADR 0135).
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': ApplyPhase.config,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': ApplyPhase.config,
  'external-secrets.io/SecretStore': ApplyPhase.config,
  'external-secrets.io/ClusterSecretStore': ApplyPhase.config,
  'external-secrets.io/ExternalSecret': ApplyPhase.config,
  'cert-manager.io/Issuer': ApplyPhase.config,
  'cert-manager.io/ClusterIssuer': ApplyPhase.config,
  'cert-manager.io/Certificate': ApplyPhase.config,
};

const kindRanks = new Map(Object.keys(earlyKinds).map((k, i) => [k, i]));

/** The kind's rank inside its phase (the order of the table above; other kinds after). */
export function kindRank(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): number {
  return kindRanks.get(groupKindOf(obj)) ?? kindRanks.size;
}

export function phaseOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ApplyPhase {
  return earlyKinds[groupKindOf(obj)] ?? ApplyPhase.workloads;
}
