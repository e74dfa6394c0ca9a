/** Services (ClusterIP, plus headless for stores) and Ingresses. */
import type { KubeObject } from '../model/object.ts';
import { exposedPorts, findPort } from '../spec/resolve.ts';
import type { Component } from '../spec/workspace.ts';
import { componentLabels, componentMeta, selectorOf, type RenderContext } from './context.ts';

export function servicesOf(ctx: RenderContext, c: Component): KubeObject[] {
  const ports = exposedPorts(c).map((p) => ({
    name: p.name,
    port: p.port,
    targetPort: p.name,
    protocol: p.protocol,
  }));
  if (ports.length === 0) return [];
  const metadata = (name: string) => ({
    name,
    namespace: c.namespace,
    labels: componentLabels(ctx, c),
  });
  const out: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(c.name),
      spec: { type: 'ClusterIP', selector: selectorOf(ctx, c), ports },
    },
  ];
  if (c.kind === 'Store')
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(`${c.name}-headless`),
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: selectorOf(ctx, c),
        ports,
      },
    });
  return out;
}

export function ingressOf(ctx: RenderContext, c: Component): KubeObject[] {
  const ing = c.kind === 'Agent' || c.kind === 'Service' ? c.spec.ingress : undefined;
  if (!ing) return [];
  const ports = exposedPorts(c);
  const port = (ing.port !== undefined ? findPort(ports, ing.port) : undefined) ?? ports[0];
  if (!port) return [];
  const annotations: Record<string, string> = { ...ing.annotations };
  if (ing.tls && ctx.platform.ingress.clusterIssuer !== undefined)
    annotations['cert-manager.io/cluster-issuer'] = ctx.platform.ingress.clusterIssuer;
  const className = ing.className ?? ctx.platform.ingress.className;
  const spec: Record<string, unknown> = {};
  if (className !== undefined) spec.ingressClassName = className;
  if (ing.tls) spec.tls = [{ hosts: [ing.host], secretName: ing.tlsSecretName ?? `${c.name}-tls` }];
  spec.rules = [
    {
      host: ing.host,
      http: {
        paths: [
          {
            path: ing.path,
            pathType: 'Prefix',
            backend: { service: { name: c.name, port: { name: port.name } } },
          },
        ],
      },
    },
  ];
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: componentMeta(ctx, c, annotations),
      spec,
    },
  ];
}
