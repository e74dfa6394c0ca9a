// Moving rendered objects into namespaces unique to a test or a benchmark round.
import type { KubeObject } from '../../src/model/object.ts';

/**
 * The objects with every namespace they declare renamed `<ns>-<suffix>`: namespace fields
 * (metadata, subjects, references), the Namespace objects' names, and namespace selectors on
 * `kubernetes.io/metadata.name`. Cluster-scoped objects that hold namespaced content (ClusterRoles
 * and their bindings, admission policies and their bindings) get the suffix too, with the
 * references to them, so tests running at once never fight over (or delete) each other's.
 * Nothing else changes (labels, node selectors, other names).
 */
export function relocate(objects: readonly KubeObject[], suffix: string): KubeObject[] {
  const namespaces = new Set(
    objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
  );
  const rename = (v: unknown): unknown =>
    typeof v === 'string' && namespaces.has(v) ? `${v}-${suffix}` : v;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === 'namespace' || k === 'kubernetes.io/metadata.name' ? rename(v) : walk(v);
    }
    return out;
  };
  const owned = (o: KubeObject) => !o.metadata.namespace && renamedKinds.has(o.kind);
  const names = new Set(objects.filter(owned).map((o) => `${o.kind}/${o.metadata.name}`));
  const renamed = (kind: string, name: unknown) =>
    typeof name === 'string' && names.has(`${kind}/${name}`) ? `${name}-${suffix}` : name;
  return objects.map((o) => {
    const moved = walk(o) as KubeObject & {
      roleRef?: { kind: string; name: string };
      spec?: { policyName?: string };
    };
    if (o.kind === 'Namespace' || owned(o))
      moved.metadata = { ...moved.metadata, name: `${o.metadata.name}-${suffix}` };
    if (moved.roleRef)
      moved.roleRef = {
        ...moved.roleRef,
        name: renamed(moved.roleRef.kind, moved.roleRef.name) as string,
      };
    if (o.kind === 'ValidatingAdmissionPolicyBinding' && moved.spec?.policyName)
      moved.spec = {
        ...moved.spec,
        policyName: renamed('ValidatingAdmissionPolicy', moved.spec.policyName) as string,
      };
    return moved;
  });
}

const renamedKinds = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);
