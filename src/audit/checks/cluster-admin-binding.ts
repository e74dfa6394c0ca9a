import { allOfKind } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const clusterAdminBinding: Check = {
  id: 'cluster-admin-binding',
  severity: 'error',
  category: 'rbac',
  inputs: 'manifests',
  fixable: false,
  summary: 'No RoleBinding or ClusterRoleBinding grants cluster-admin.',
  remediation: 'Bind a Role or ClusterRole listing only what the subject needs.',
  docs: `cluster-admin is every verb on every resource in every namespace. An agent or operator with it
is one prompt injection away from owning the cluster. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const binding of [
      ...allOfKind(index, 'RoleBinding'),
      ...allOfKind(index, 'ClusterRoleBinding'),
    ]) {
      if (get(binding.object, ['roleRef', 'name']) !== 'cluster-admin') continue;
      out.push({
        target: binding,
        path: ['roleRef', 'name'],
        message: `${nameOf(binding)} grants cluster-admin`,
      });
    }
    return out;
  },
};
