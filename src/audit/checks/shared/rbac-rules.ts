/** The rules of Roles and ClusterRoles, with their paths. */
import { allOfKind, type AuditIndex } from '../../engine/index-objects.ts';
import { isRecord, stringList } from '../../engine/pods.ts';
import type { LocatedObject } from '../../engine/types.ts';

export interface Rule {
  role: LocatedObject;
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

/**
 * Roles the cluster itself defines, exempt from the RBAC checks as Polaris exempts them: names
 * starting with `system:` (controllers, nodes, discovery) and the user-facing defaults.
 */
export const builtinRoleNames: ReadonlySet<string> = new Set([
  'cluster-admin',
  'admin',
  'edit',
  'view',
]);

export function isSystemRole(name: unknown): boolean {
  return typeof name === 'string' && (name.startsWith('system:') || builtinRoleNames.has(name));
}

/** The rules of the input's Roles and ClusterRoles, except the cluster's own (`system:…`). */
export function rulesOf(index: AuditIndex): Rule[] {
  const out: Rule[] = [];
  for (const role of [...allOfKind(index, 'Role'), ...allOfKind(index, 'ClusterRole')]) {
    if (isSystemRole(role.object.metadata.name)) continue;
    const rules = role.object.rules;
    if (!Array.isArray(rules)) continue;
    rules.forEach((r: unknown, i) => {
      if (!isRecord(r)) return;
      out.push({
        role,
        index: i,
        apiGroups: stringList(r.apiGroups),
        resources: stringList(r.resources),
        verbs: stringList(r.verbs),
        resourceNames: stringList(r.resourceNames),
      });
    });
  }
  return out;
}
