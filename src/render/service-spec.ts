/**
 * What `berth serve` reads in the cluster (ADR 0115): one file, `spec.yaml`, in ConfigMap
 * `<name>-spec`, mounted at /etc/berth. It is a workspace of its own: the Platform document, the
 * declared secrets (names and Vault paths, never values), the pools berth scales and their queue
 * stores (connections dropped: the autoscaler does not follow them), and the Watchdog document with
 * `ledgerNamespace` set to the service's namespace. Both `loadWorkspace` and the watchdog's
 * `loadConfig` read it as is; every value is the validated one, defaults written out.
 */
import { berthPools } from '../autoscale/pools.ts';
import { SPEC_API_VERSION } from '../spec/api-version.ts';
import type { BerthServiceDecl } from '../spec/service.ts';
import type { Component } from '../spec/workspace.ts';
import type { RenderContext } from './context.ts';
import { toYamlDocument } from './yaml.ts';

/** Where the ConfigMap is mounted, and the file `berth serve` is given. */
export const SPEC_DIR = '/etc/berth';
export const SPEC_FILE = 'spec.yaml';

function metadataOf(m: {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}): Record<string, unknown> {
  const out: Record<string, unknown> = { name: m.name };
  if (m.namespace !== undefined) out.namespace = m.namespace;
  if (Object.keys(m.labels).length > 0) out.labels = m.labels;
  if (Object.keys(m.annotations).length > 0) out.annotations = m.annotations;
  return out;
}

const doc = (kind: string, metadata: Record<string, unknown>, spec: unknown) => ({
  apiVersion: SPEC_API_VERSION,
  kind,
  metadata,
  spec,
});

export function serviceSpecFile(ctx: RenderContext, decl: BerthServiceDecl): string {
  const ws = ctx.ws;
  const docs: unknown[] = [
    doc(
      'Platform',
      metadataOf({ name: ws.platform.name, labels: ws.platform.labels, annotations: {} }),
      ws.platform.spec,
    ),
  ];
  for (const s of ws.secrets) docs.push(doc('Secret', metadataOf(s), s.spec));
  const pools = berthPools(ws);
  const stores = new Set(pools.map((p) => p.spec.queue?.store));
  const wanted: Component[] = ws.components.filter(
    (c) => pools.includes(c as never) || (c.kind === 'Store' && stores.has(c.name)),
  );
  for (const c of wanted) docs.push(doc(c.kind, metadataOf(c), { ...c.spec, connections: [] }));
  const wd = decl.watchdog;
  if (wd)
    docs.push(doc('Watchdog', metadataOf(wd), { ...wd.spec, ledgerNamespace: decl.namespace }));
  return `${docs.map((d) => `---\n${toYamlDocument(d)}`).join('')}`;
}
