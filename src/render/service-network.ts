/**
 * The NetworkPolicy of berth's service (ADR 0115, ADR 0013): ingress only to its HTTP port from the
 * ingress controller's namespace (and the metrics namespace when set); egress only to DNS, the API
 * server, the notifiers' hosts, the LLM endpoint, the autoscaler's queue sources and what
 * `service.egress` adds. In-cluster URLs (`svc.ns.svc...`) become pod/namespace selectors, IP
 * literals a /32, public host names the public ranges on their port, recorded in an annotation.
 */
import { berthPools, sourceOf } from '../autoscale/pools.ts';
import type { KubeObject } from '../model/object.ts';
import type { BerthServiceDecl } from '../spec/service.ts';
import { selectorOf, sortedRecord, type RenderContext } from './context.ts';
import { nsPeer, PRIVATE_V4, PRIVATE_V6 } from './network.ts';

type Json = Record<string, unknown>;

/** Hosts each notifier type talks to (a webhook's host is unknown: declare it in service.egress). */
const notifierHosts: Readonly<Record<string, string[]>> = {
  discord: ['discord.com'],
  'discord-bot': ['discord.com'],
  slack: ['hooks.slack.com'],
  webhook: [],
};

const publicPeers = [
  { ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_V4 } },
  { ipBlock: { cidr: '::/0', except: PRIVATE_V6 } },
];

const defaultPort: Readonly<Record<string, number>> = {
  'http:': 80,
  'https:': 443,
  'nats:': 4222,
  'redis:': 6379,
};

/** Where a URL's host is, as NetworkPolicy peers; `host` set for a public name (annotation). */
export function urlPeers(
  ctx: RenderContext,
  from: string,
  url: string,
): { to: Json[]; port: number; host?: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const port = u.port ? Number(u.port) : defaultPort[u.protocol];
  if (port === undefined) return undefined;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { to: [{ ipBlock: { cidr: `${host}/32` } }], port };
  if (host.includes(':')) return { to: [{ ipBlock: { cidr: `${host}/128` } }], port };
  const labels = host.split('.');
  const [svc, ns] = labels;
  if (svc !== undefined && ns !== undefined && labels[2] === 'svc') {
    const c = ctx.components.get(svc);
    const pods =
      c && c.namespace === ns ? { podSelector: { matchLabels: selectorOf(ctx, c) } } : {};
    return { to: [ns === from ? { podSelector: {}, ...pods } : { ...nsPeer(ns), ...pods }], port };
  }
  const c = labels.length === 1 ? ctx.components.get(host) : undefined;
  if (c && c.namespace === from)
    return { to: [{ podSelector: { matchLabels: selectorOf(ctx, c) } }], port };
  return { to: publicPeers, port, host };
}

export function serviceNetworkPolicy(
  ctx: RenderContext,
  decl: BerthServiceDecl,
  labels: Record<string, string>,
  selector: Record<string, string>,
): KubeObject {
  const { spec, namespace } = decl;
  const net = ctx.platform.network;
  const tcp = (port: number) => ({ protocol: 'TCP', port });
  const ingress: Json[] = [];
  if (spec.dashboard.ingress)
    ingress.push({
      from: [nsPeer(ctx.platform.ingress.controllerNamespace)],
      ports: [tcp(spec.dashboard.port)],
    });
  if (net.metricsNamespace !== undefined)
    ingress.push({ from: [nsPeer(net.metricsNamespace)], ports: [tcp(spec.dashboard.port)] });
  const egress: Json[] = [
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
    {
      to:
        net.apiServerCidrs.length > 0
          ? net.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } }))
          : [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
      ports: [tcp(443), tcp(6443)],
    },
  ];
  // Without spec.network.apiServerCidrs the API server rule is any address on 443/6443: said on
  // the object, not hidden behind "API server only" (ADR 0142).
  const annotations: Record<string, string> = {
    'berth.dev/egress-api-server':
      net.apiServerCidrs.length > 0
        ? net.apiServerCidrs.join(',')
        : 'any address on 443,6443 (set spec.network.apiServerCidrs to restrict)',
  };
  const wd = decl.watchdog;
  const notify = [...new Set((wd?.spec.notify ?? []).flatMap((t) => notifierHosts[t.type] ?? []))];
  if (notify.length > 0) {
    egress.push({ to: publicPeers, ports: [tcp(443)] });
    annotations['berth.dev/egress-notify'] = notify.sort().join(',');
  }
  const urls: [string, string][] = [];
  if (wd?.spec.llm) urls.push(['llm', wd.spec.llm.baseURL]);
  if (wd?.spec.metrics.prometheus) urls.push(['prometheus', wd.spec.metrics.prometheus.url]);
  for (const pool of berthPools(ctx.ws))
    urls.push([`queue-${pool.name}`, sourceOf(pool, ctx.ws).url]);
  const seen = new Set<string>();
  for (const [name, url] of urls) {
    const peers = urlPeers(ctx, namespace, url);
    if (!peers) continue;
    const rule = { to: peers.to, ports: [tcp(peers.port)] };
    const key = JSON.stringify(rule);
    if (!seen.has(key)) egress.push(rule);
    seen.add(key);
    if (peers.host !== undefined) annotations[`berth.dev/egress-${name}`] = peers.host;
  }
  for (const x of spec.egress) {
    const to = x.cidrs.length > 0 ? x.cidrs.map((cidr) => ({ ipBlock: { cidr } })) : publicPeers;
    egress.push({ to, ports: x.ports.map((port) => ({ protocol: x.protocol, port })) });
    if (x.hosts.length > 0) annotations[`berth.dev/egress-${x.name}`] = x.hosts.join(',');
  }
  const policySpec: Json = {
    podSelector: { matchLabels: selector },
    policyTypes: ['Ingress', 'Egress'],
  };
  if (ingress.length > 0) policySpec.ingress = ingress;
  policySpec.egress = egress;
  const metadata: KubeObject['metadata'] = { name: decl.name, namespace, labels };
  if (Object.keys(annotations).length > 0) metadata.annotations = sortedRecord(annotations);
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: policySpec };
}
