/** Platform-wide objects: Namespaces with Pod Security labels, and Argo CD Applications. */
import type { KubeObject } from '../model/object.ts';
import { berthServiceOf } from '../spec/service.ts';
import { labelsOf, type RenderContext } from './context.ts';

export function namespacesOf(ctx: RenderContext): string[] {
  const ns = new Set(ctx.ws.components.map((c) => c.namespace));
  ns.add(ctx.platform.namespace ?? ctx.platformName);
  const service = berthServiceOf(ctx.ws);
  if (service) ns.add(service.namespace);
  return [...ns].sort();
}

export function namespaceObjects(ctx: RenderContext, namespaces: string[]): KubeObject[] {
  const { level, version } = ctx.platform.podSecurity;
  return namespaces.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        ...labelsOf(ctx, ctx.platformName),
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': version,
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': version,
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': version,
      },
    },
  }));
}

/** One Application per folder of the rendered layout (each component, and the platform folder). */
export function applicationsOf(
  ctx: RenderContext,
  owners: string[],
  namespaceOf: (owner: string) => string,
): KubeObject[] {
  const argo = ctx.platform.argocd;
  if (!argo.enabled || argo.repoURL === undefined) return [];
  return owners.map((owner) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: owner === ctx.platformName ? owner : `${ctx.platformName}-${owner}`,
      namespace: argo.namespace,
      labels: labelsOf(ctx, owner),
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: argo.project,
      source: {
        repoURL: argo.repoURL,
        targetRevision: argo.targetRevision,
        path: argo.pathTemplate.replaceAll('{component}', owner),
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: namespaceOf(owner) },
      syncPolicy: {
        ...(argo.automated ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ['ServerSideApply=true'],
      },
    },
  }));
}
