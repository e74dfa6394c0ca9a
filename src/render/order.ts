/** The stable order of rendered objects: by kind (dependencies first), then namespace, then name. */
import type { KubeObject } from '../model/object.ts';

const kindOrder = [
  'Namespace',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ExternalSecret',
  'ConfigMap',
  'Lease',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'ScaledObject',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'Ingress',
  'Application',
] as const;

const rank = new Map<string, number>(kindOrder.map((k, i) => [k, i]));

/** Sorts rendered objects in the stable order (keys computed once per object). */
export function sortObjects<T extends { object: KubeObject }>(items: readonly T[]): T[] {
  const keyed = items.map((o) => ({
    o,
    rank: rank.get(o.object.kind) ?? kindOrder.length,
    kind: o.object.kind,
    ns: o.object.metadata.namespace ?? '',
    name: o.object.metadata.name,
  }));
  keyed.sort(
    (a, b) =>
      a.rank - b.rank ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
      (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return keyed.map((k) => k.o);
}
