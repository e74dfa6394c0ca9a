/**
 * NetworkPolicies from the declared edges: default-deny and DNS egress per namespace, then per
 * component: ingress from each caller, egress to each callee, external egress only where declared.
 */
import { engineOf, isQueuePool } from '../autoscale/pools.ts';
import { AUTOSCALER_POD_LABEL } from '../autoscale/names.ts';
import type { KubeObject } from '../model/object.ts';
import { autoscalerNamespace } from './autoscaler.ts';
import { exposedPorts, findPort } from '../spec/resolve.ts';
import type { Port } from '../spec/schema/common.ts';
import type { Component } from '../spec/workspace.ts';
import {
  componentMeta,
  labelsOf,
  selectorOf,
  sortedRecord,
  type RenderContext,
} from './context.ts';

type Json = Record<string, unknown>;

export interface Edge {
  from: Component;
  to: Component;
  ports: Port[];
}

/** Private and link-local ranges excluded from "public internet" egress (ADR 0013). */
export const PRIVATE_V4 = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
];
export const PRIVATE_V6 = ['fc00::/7', 'fe80::/10'];

/** Every edge: declared connections plus the implicit pool → queue store edge. Sorted. */
export function edgesOf(ctx: RenderContext): Edge[] {
  const edges: Edge[] = [];
  for (const c of ctx.ws.components) {
    for (const conn of c.spec.connections) {
      const to = ctx.components.get(conn.to);
      if (!to) continue;
      const exposed = exposedPorts(to);
      const port = conn.port !== undefined ? findPort(exposed, conn.port) : undefined;
      edges.push({ from: c, to, ports: port ? [port] : exposed });
    }
    const store = c.kind === 'AgentPool' ? c.spec.queue?.store : undefined;
    if (store !== undefined && !c.spec.connections.some((x) => x.to === store)) {
      const to = ctx.components.get(store);
      if (to)
        edges.push({
          from: c,
          to,
          ports: exposedPorts(to).filter((p) => p.name !== 'cluster' && p.name !== 'monitor'),
        });
    }
  }
  return edges;
}

function peer(from: Component, to: Component, ctx: RenderContext): Json {
  const pod = { podSelector: { matchLabels: selectorOf(ctx, to) } };
  return from.namespace === to.namespace
    ? pod
    : {
        ...pod,
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': to.namespace } },
      };
}

const portsOf = (ports: readonly Port[]) =>
  ports.map((p) => ({ protocol: p.protocol, port: p.port }));
export const nsPeer = (ns: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
});

export function namespacePolicies(ctx: RenderContext, namespaces: string[]): KubeObject[] {
  if (!ctx.platform.network.defaultDeny) return [];
  const labels = labelsOf(ctx, ctx.platformName);
  const net = ctx.platform.network;
  return namespaces.flatMap((ns) => [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: ns, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-dns', namespace: ns, labels },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                ...nsPeer(net.dnsNamespace),
                podSelector: { matchLabels: sortedRecord(net.dnsPodLabels) },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
  ]);
}

export function componentPolicy(ctx: RenderContext, c: Component, edges: Edge[]): KubeObject {
  const ingress: Json[] = [];
  const egress: Json[] = [];
  for (const e of edges.filter((x) => x.to === c))
    ingress.push({ from: [peer(c, e.from, ctx)], ports: portsOf(e.ports) });
  for (const e of edges.filter((x) => x.from === c))
    egress.push({ to: [peer(c, e.to, ctx)], ports: portsOf(e.ports) });
  const exposed = exposedPorts(c);
  const ing = c.kind === 'Agent' || c.kind === 'Service' ? c.spec.ingress : undefined;
  if (ing) {
    const port = (ing.port !== undefined ? findPort(exposed, ing.port) : undefined) ?? exposed[0];
    if (port)
      ingress.push({
        from: [nsPeer(ctx.platform.ingress.controllerNamespace)],
        ports: portsOf([port]),
      });
  }
  const metricsNs = ctx.platform.network.metricsNamespace;
  const metrics = exposed.filter((p) => p.metrics);
  if (metricsNs !== undefined && metrics.length > 0)
    ingress.push({ from: [nsPeer(metricsNs)], ports: portsOf(metrics) });
  if (c.kind === 'Store') {
    ingress.push(...scalerIngress(ctx, c, exposed));
    if (c.spec.replicas > 1) {
      const self = { podSelector: { matchLabels: selectorOf(ctx, c) } };
      ingress.push({ from: [self], ports: portsOf(exposed) });
      egress.push({ to: [self], ports: portsOf(exposed) });
    }
  }
  if (c.spec.apiAccess) {
    const cidrs = ctx.platform.network.apiServerCidrs;
    const to =
      cidrs.length > 0
        ? cidrs.map((cidr) => ({ ipBlock: { cidr } }))
        : [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
    egress.push({
      to,
      ports: [
        { protocol: 'TCP', port: 443 },
        { protocol: 'TCP', port: 6443 },
      ],
    });
  }
  const annotations: Record<string, string> = {};
  for (const x of c.spec.egress) {
    const ports = x.ports.map((port) => ({ protocol: x.protocol, port }));
    const to =
      x.cidrs.length > 0
        ? x.cidrs.map((cidr) => ({ ipBlock: { cidr } }))
        : [
            { ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_V4 } },
            { ipBlock: { cidr: '::/0', except: PRIVATE_V6 } },
          ];
    egress.push({ to, ports });
    if (x.hosts.length > 0) annotations[`berth.dev/egress-${x.name}`] = x.hosts.join(',');
  }
  const spec: Json = {
    podSelector: { matchLabels: selectorOf(ctx, c) },
    policyTypes: ['Ingress', 'Egress'],
  };
  if (ingress.length > 0) spec.ingress = ingress;
  if (egress.length > 0) spec.egress = egress;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: componentMeta(ctx, c, annotations),
    spec,
  };
}

/**
 * Ingress to a queue store from whoever reads its depth: the KEDA operator's namespace (NATS
 * monitoring port or Redis), and berth's autoscaler pods (label berth.dev/autoscaler: "true",
 * NATS client port or Redis).
 */
function scalerIngress(ctx: RenderContext, store: Component, exposed: readonly Port[]): Json[] {
  if (store.kind !== 'Store') return [];
  const engines = new Set(
    ctx.ws.components
      .filter((p) => isQueuePool(p) && p.spec.queue?.store === store.name)
      .map((p) => (isQueuePool(p) ? engineOf(p, ctx.platform) : 'berth')),
  );
  const nats = store.spec.engine === 'nats';
  const out: Json[] = [];
  const keda = exposed.find((p) => p.name === (nats ? 'monitor' : 'redis'));
  if (engines.has('keda') && keda)
    out.push({ from: [nsPeer(ctx.platform.network.kedaNamespace)], ports: portsOf([keda]) });
  const berth = exposed.find((p) => p.name === (nats ? 'client' : 'redis'));
  if (engines.has('berth') && berth)
    out.push({
      from: [
        {
          ...nsPeer(autoscalerNamespace(ctx)),
          podSelector: { matchLabels: { [AUTOSCALER_POD_LABEL]: 'true' } },
        },
      ],
      ports: portsOf([berth]),
    });
  return out;
}
