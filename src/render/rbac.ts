/** One ServiceAccount per component (token off), and a least-privilege Role or ClusterRole when API access is declared. */
import type { KubeObject } from '../model/object.ts';
import { rulesOf } from '../spec/api-presets.ts';
import type { Component } from '../spec/workspace.ts';
import { componentLabels, type RenderContext } from './context.ts';

export function rbacOf(ctx: RenderContext, c: Component): KubeObject[] {
  const labels = componentLabels(ctx, c);
  const out: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: c.name, namespace: c.namespace, labels },
      automountServiceAccountToken: false,
    },
  ];
  const access = c.spec.apiAccess;
  if (!access) return out;
  const rules = rulesOf(access);
  const subjects = [{ kind: 'ServiceAccount', name: c.name, namespace: c.namespace }];
  if (access.scope === 'cluster') {
    const name = `${ctx.platformName}-${c.name}`;
    out.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name, labels },
        rules,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects,
      },
    );
  } else {
    out.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: c.name, namespace: c.namespace, labels },
        rules,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: c.name, namespace: c.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: c.name },
        subjects,
      },
    );
  }
  return out;
}
