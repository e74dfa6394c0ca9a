/**
 * The one identity of berth's service (ADR 0100, ADR 0115): a ServiceAccount; the watchdog's rules
 * generated from its detectors and action allowlist (src/watchdog/rbac.ts); the autoscaler's rules
 * in its pools' namespaces (src/render/autoscaler.ts); and get/update/patch of its own Lease,
 * which is rendered too, so the service needs no `create` on leases. Nothing else.
 */
import type { KubeObject } from '../model/object.ts';
import type { BerthServiceDecl } from '../spec/service.ts';
import { configFromSpec } from '../watchdog/config.ts';
import type { ActionType } from '../watchdog/policy/types.ts';
import { watchdogRbac, type RbacOptions } from '../watchdog/rbac.ts';
import type { Workspace } from '../spec/workspace.ts';
import { autoscalerRules } from './autoscaler.ts';
import type { RenderContext } from './context.ts';

const RBAC = 'rbac.authorization.k8s.io/v1';

/** ConfigMap of the autoscaler's last scalings (src/service/adapters/autoscaler.ts). */
export const AUTOSCALER_DECISIONS = 'berth-service-autoscaler';

/** The Lease the service's replicas elect their leader on (src/service/service.ts's default). */
export const SERVICE_LEASE = 'berth-service';

/** The watchdog's allowed actions, in allowlist order, each once. */
export function allowedActions(decl: BerthServiceDecl): ActionType[] {
  const wd = decl.watchdog;
  if (!wd || wd.spec.dryRun) return [];
  return [...new Set(wd.spec.actions.map((a) => a.action))];
}

export function serviceRbac(
  ctx: RenderContext,
  decl: BerthServiceDecl,
  labels: Record<string, string>,
): KubeObject[] {
  const wd = decl.watchdog;
  return serviceIdentity(
    {
      name: decl.name,
      namespace: decl.namespace,
      ...(wd
        ? {
            watchdog: {
              detectors: configFromSpec(wd.name, wd.spec).detectors,
              actions: allowedActions(decl),
              include: wd.spec.namespaces.include,
            },
          }
        : {}),
      autoscaler: autoscalerRules(ctx),
    },
    labels,
  );
}

/** What the service's identity is generated from (the render, and `berth serve`'s self-audit). */
export interface ServiceIdentityInput {
  name: string;
  namespace: string;
  watchdog?: {
    detectors: RbacOptions['detectors'];
    actions: readonly ActionType[];
    include: readonly string[];
  };
  /** The autoscaler's rules per namespace (`autoscalerRules`). */
  autoscaler: Map<string, Record<string, unknown>[]>;
}

/** The autoscaler's rules for the pools of a workspace (`autoscalerRules` needs only its `ws`). */
export function autoscalerRulesOf(ws: Workspace): Map<string, Record<string, unknown>[]> {
  return autoscalerRules({ ws } as RenderContext);
}

/** The ServiceAccount, Roles, bindings and Lease of the service (the same for the self-audit). */
export function serviceIdentity(
  o: ServiceIdentityInput,
  labels: Record<string, string> = {},
): KubeObject[] {
  const { name, namespace } = o;
  const subjects = [{ kind: 'ServiceAccount', name, namespace }];
  const out: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, labels },
      // Only the service's pod mounts a token (automountServiceAccountToken: true in its spec).
      automountServiceAccountToken: false,
    },
  ];
  const wd = o.watchdog;
  if (wd) {
    const generated = watchdogRbac({
      namespace,
      serviceAccount: name,
      detectors: wd.detectors,
      actions: wd.actions,
      include: wd.include,
    });
    for (const g of generated)
      if (g.kind !== 'ServiceAccount') out.push({ ...g, metadata: { ...g.metadata, labels } });
  }
  const rules = new Map([...o.autoscaler].map(([ns, r]) => [ns, [...r]]));
  const own = rules.get(namespace) ?? [];
  if (rules.size > 0) {
    // The autoscaler keeps each pool's last scaling there, so a new leader keeps the cooldowns.
    if (!wd) own.push({ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] });
    own.push({
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: [AUTOSCALER_DECISIONS],
      verbs: ['get', 'patch', 'update'],
    });
  }
  rules.set(namespace, [
    ...own,
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: [SERVICE_LEASE],
      verbs: ['get', 'update', 'patch'],
    },
  ]);
  for (const [ns, nsRules] of [...rules].sort(([a], [b]) => (a < b ? -1 : 1)))
    out.push(
      { apiVersion: RBAC, kind: 'Role', metadata: { name, namespace: ns, labels }, rules: nsRules },
      {
        apiVersion: RBAC,
        kind: 'RoleBinding',
        metadata: { name, namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects,
      },
    );
  out.push({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: SERVICE_LEASE, namespace, labels },
  });
  return out;
}
