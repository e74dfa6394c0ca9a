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

export function rulesOf(index: AuditIndex): Rule[] {
  const out: Rule[] = [];
  for (const role of [...allOfKind(index, 'Role'), ...allOfKind(index, 'ClusterRole')]) {
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
