/** The stable order of rendered objects: by kind (dependencies first), then namespace, then name. */
import type { KubeObject } from '../kube/object.ts';

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
