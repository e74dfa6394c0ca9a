/**
 * Rendering: a pure, deterministic function from a validated workspace to hardened Kubernetes
 * objects, plus the two output forms (a YAML stream, a folder per component).
 */
import type { KubeObject } from '../model/object.ts';
import type { Workspace } from '../spec/index.ts';
import { autoscalerObjects } from './autoscaler.ts';
import { componentExternalSecret, configMapsOf, sharedExternalSecrets } from './config.ts';
import { contextOf } from './context.ts';
import { ingressOf, servicesOf } from './expose.ts';
import { componentPolicy, edgesOf, namespacePolicies } from './network.ts';
import { sortObjects } from './order.ts';
import { applicationsOf, namespaceObjects, namespacesOf } from './platform.ts';
import { rbacOf } from './rbac.ts';
import { scalingOf } from './scaling.ts';
import { workloadOf } from './workloads.ts';

export { toYamlStream, toYamlDocument } from './yaml.ts';
export { renderToFolder } from './folder.ts';

/** Renders every object of the workspace, sorted by kind, namespace and name. */
export function renderWorkspace(ws: Workspace): KubeObject[] {
  const ctx = contextOf(ws);
  const namespaces = namespacesOf(ctx);
  const edges = edgesOf(ctx);
  const objects: KubeObject[] = [
    ...namespaceObjects(ctx, namespaces),
    ...namespacePolicies(ctx, namespaces),
    ...sharedExternalSecrets(ctx),
    ...autoscalerObjects(ctx),
  ];
  for (const c of ws.components) {
    const secret = componentExternalSecret(ctx, c);
    objects.push(
      ...rbacOf(ctx, c),
      ...(secret ? [secret] : []),
      ...configMapsOf(ctx, c),
      ...workloadOf(ctx, c),
      ...servicesOf(ctx, c),
      ...scalingOf(ctx, c),
      componentPolicy(ctx, c, edges),
      ...ingressOf(ctx, c),
    );
  }
  const platformNamespace = ctx.platform.namespace ?? ctx.platformName;
  const owners = [ctx.platformName, ...ws.components.map((c) => c.name)];
  const nsOf = (owner: string) => ctx.components.get(owner)?.namespace ?? platformNamespace;
  objects.push(...applicationsOf(ctx, owners, nsOf));
  return sortObjects(objects);
}
