import { allOfKind, namespaceOf } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { isSystemRole } from './shared/rbac-rules.ts';

export const rbacDanglingRoleRef: Check = {
  id: 'rbac-dangling-role-ref',
  severity: 'warning',
  category: 'rbac',
  inputs: 'manifests',
  fixable: false,
  summary: 'Every RoleBinding and ClusterRoleBinding refers to a Role or ClusterRole in the input.',
  remediation:
    'Add the Role or ClusterRole to the manifests, or correct roleRef.name (it cannot be changed after creation).',
  docs: `A binding to a role that does not exist grants nothing today, and whatever a role of that name
grants tomorrow — and \`roleRef\` is immutable, so a typo means deleting the binding. A RoleBinding
may refer to a Role of its own namespace or to a ClusterRole; a ClusterRoleBinding only to a
ClusterRole. Roles the cluster defines (\`system:…\`, cluster-admin, admin, edit, view) are exempt
by name, as Polaris exempts them. A warning, since the role may be installed by another chart.`,
  run({ index }) {
    const out: RawFinding[] = [];
    const clusterRoles = new Set(
      allOfKind(index, 'ClusterRole').map((r) => r.object.metadata.name),
    );
    const roles = new Set(
      allOfKind(index, 'Role').map((r) => `${namespaceOf(r)}/${r.object.metadata.name}`),
    );
    for (const binding of [
      ...allOfKind(index, 'RoleBinding'),
      ...allOfKind(index, 'ClusterRoleBinding'),
    ]) {
      const kind = get(binding.object, ['roleRef', 'kind']);
      const name = get(binding.object, ['roleRef', 'name']);
      if (typeof name !== 'string' || isSystemRole(name)) continue;
      const exists =
        kind === 'ClusterRole'
          ? clusterRoles.has(name)
          : kind === 'Role' && binding.object.kind === 'RoleBinding'
            ? roles.has(`${namespaceOf(binding)}/${name}`)
            : false;
      if (exists) continue;
      const why =
        kind === 'Role' && binding.object.kind === 'ClusterRoleBinding'
          ? 'a ClusterRoleBinding can only refer to a ClusterRole'
          : `no ${String(kind)} "${name}"${kind === 'Role' ? ` in namespace ${namespaceOf(binding)}` : ''} in the input`;
      out.push({
        target: binding,
        path: ['roleRef', 'name'],
        message: `${nameOf(binding)}: ${why}`,
      });
    }
    return out;
  },
};
