/**
 * Rendering: a pure, deterministic function from a validated workspace to hardened Kubernetes
 * objects, plus the two output forms (a YAML stream, a folder per component).
 */
import type { KubeObject } from '../model/object.ts';
import type { Workspace } from '../spec/index.ts';
import { autoscalerObjects } from './autoscaler.ts';
import { busyObjects } from './busy.ts';
import { componentExternalSecret, configMapsOf, sharedExternalSecrets } from './config.ts';
import { contextOf } from './context.ts';
import { ingressOf, servicesOf } from './expose.ts';
import { componentPolicy, edgesOf, namespacePolicies } from './network.ts';
import { sortObjects } from './order.ts';
import { applicationsOf, namespaceObjects, namespacesOf } from './platform.ts';
import { rbacOf } from './rbac.ts';
import { scalingOf } from './scaling.ts';
import { berthServiceOf, serviceObjects } from './service.ts';
import { workloadOf } from './workloads.ts';

export { toYamlStream, toYamlDocument } from './yaml.ts';
export { renderToFolder } from './folder.ts';

/** A rendered object and the component that produced it (the platform's name for shared objects). */
export interface RenderedObject {
  object: KubeObject;
  /** Agent, pool, service or store name; the platform name for platform-wide objects. */
  component: string;
}

/**
 * Renders every object of the workspace with the component that produced it, sorted by kind,
 * namespace and name. Audit places findings and the folder writer files objects by `component`.
 */
export function renderComponents(ws: Workspace): RenderedObject[] {
  const ctx = contextOf(ws);
  const namespaces = namespacesOf(ctx);
  const edges = edgesOf(ctx);
  const rendered: RenderedObject[] = [];
  const add = (component: string, objects: readonly KubeObject[]): void => {
    for (const object of objects) rendered.push({ object, component });
  };
  add(ctx.platformName, [
    ...namespaceObjects(ctx, namespaces),
    ...namespacePolicies(ctx, namespaces),
    ...sharedExternalSecrets(ctx),
    ...autoscalerObjects(ctx),
  ]);
  for (const c of ws.components) {
    const secret = componentExternalSecret(ctx, c);
    add(c.name, [
      ...rbacOf(ctx, c),
      ...(secret ? [secret] : []),
      ...configMapsOf(ctx, c),
      ...workloadOf(ctx, c),
      ...servicesOf(ctx, c),
      ...scalingOf(ctx, c),
      ...busyObjects(ctx, c),
      componentPolicy(ctx, c, edges),
      ...ingressOf(ctx, c),
    ]);
  }
  // berth's own service (ADR 0115), filed under the document that declares it.
  const service = berthServiceOf(ws);
  if (service) add(service.component, serviceObjects(ctx));
  const platformNamespace = ctx.platform.namespace ?? ctx.platformName;
  const nsOf = (owner: string) =>
    ctx.components.get(owner)?.namespace ??
    (owner === service?.component ? service.namespace : platformNamespace);
  const owners = [ctx.platformName, ...ws.components.map((c) => c.name)];
  if (service && service.component !== ctx.platformName) owners.push(service.component);
  for (const owner of owners) add(owner, applicationsOf(ctx, [owner], nsOf));
  return sortObjects(rendered);
}

/** Renders every object of the workspace, sorted by kind, namespace and name. */
export function renderWorkspace(ws: Workspace): KubeObject[] {
  return renderComponents(ws).map((r) => r.object);
}
