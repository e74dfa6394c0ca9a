/** The stable order of rendered objects: by kind (dependencies first), then namespace, then name. */
import type { KubeObject } from '../model/object.ts';

export const kindOrder = [
  'Namespace',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'ExternalSecret',
  'ConfigMap',
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

export function compareObjects(a: KubeObject, b: KubeObject): number {
  const ka = rank.get(a.kind) ?? kindOrder.length;
  const kb = rank.get(b.kind) ?? kindOrder.length;
  if (ka !== kb) return ka - kb;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Sorts objects in the stable order (keys computed once per object). */
export function sortObjects(objects: KubeObject[]): KubeObject[] {
  const keyed = objects.map((o) => ({
    o,
    rank: rank.get(o.kind) ?? kindOrder.length,
    kind: o.kind,
    ns: o.metadata.namespace ?? '',
    name: o.metadata.name,
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
