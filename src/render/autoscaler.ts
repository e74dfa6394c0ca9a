/**
 * berth's autoscaler, least privilege (ADR 0089): a ServiceAccount, in each namespace of its pools
 * a Role that reads Deployments and pods, patches only the pools' `deployments/scale` and pod
 * annotations (pod-deletion-cost), and in its own namespace the leader-election Lease. Nothing
 * else, nothing cluster-wide. Rendered only when some pool uses engine `berth` and berth's service
 * (ADR 0115) is not rendered: then these rules are bound to the service's one identity.
 */
import { berthPools } from '../autoscale/pools.ts';
import { AUTOSCALER_POD_LABEL, LEASE_NAME } from '../autoscale/names.ts';
import type { KubeObject } from '../model/object.ts';
import { autoscalingNamespace, berthServiceOf } from '../spec/service.ts';
import { labelsOf, type RenderContext } from './context.ts';

export { AUTOSCALER_POD_LABEL };

const RBAC = 'rbac.authorization.k8s.io/v1';

/** The namespace the autoscaler runs in: berth's service's when one is rendered (ADR 0115). */
export function autoscalerNamespace(ctx: RenderContext): string {
  return berthServiceOf(ctx.ws)?.namespace ?? autoscalingNamespace(ctx.ws);
}

/** Rules the autoscaler needs in each namespace of its pools (no Lease), sorted by namespace. */
export function autoscalerRules(ctx: RenderContext): Map<string, Record<string, unknown>[]> {
  const byNamespace = new Map<string, string[]>();
  for (const p of berthPools(ctx.ws))
    byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p.name]);
  const out = new Map<string, Record<string, unknown>[]>();
  for (const [namespace, names] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1)))
    out.set(namespace, [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: ['apps'],
        resources: ['deployments/scale'],
        resourceNames: [...names].sort(),
        verbs: ['get', 'patch'],
      },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'patch'] },
    ]);
  return out;
}

/**
 * The autoscaler's own identity, for `berth autoscale run` in the cluster when berth's service is
 * not rendered. With a service, its rules are bound to the service's identity instead
 * (src/render/service.ts).
 */
export function autoscalerObjects(ctx: RenderContext): KubeObject[] {
  if (berthPools(ctx.ws).length === 0 || berthServiceOf(ctx.ws)) return [];
  const name = ctx.platform.autoscaling.serviceAccount;
  const home = autoscalerNamespace(ctx);
  const labels = labelsOf(ctx, ctx.platformName, { 'app.kubernetes.io/component': 'autoscaler' });
  const byNamespace = autoscalerRules(ctx);
  if (!byNamespace.has(home)) byNamespace.set(home, []);
  const out: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: home, labels },
      // The autoscaler's pod opts in (automountServiceAccountToken: true in its pod spec).
      automountServiceAccountToken: false,
    },
  ];
  for (const [namespace, poolRules] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rules = [...poolRules];
    if (namespace === home)
      rules.push(
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          resourceNames: [LEASE_NAME],
          verbs: ['get', 'update', 'patch'],
        },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      );
    out.push(
      { apiVersion: RBAC, kind: 'Role', metadata: { name, namespace, labels }, rules },
      {
        apiVersion: RBAC,
        kind: 'RoleBinding',
        metadata: { name, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: home }],
      },
    );
  }
  return out;
}
