/** Checks across documents: names, references, images, sizes, bounds. Each problem has a position. */
import type { Diagnostic } from '../../errors.ts';
import type { PathSegment } from '../../yaml/stream.ts';
import { effectiveImage, effectivePorts, exposedPorts, findPort } from '../resolve.ts';
import type { Component, Entry, Workspace } from '../workspace.ts';
import { checkApiAccess } from './api-access.ts';
import { checkFiles, checkMounts, checkSizes } from './containers.ts';
import { isMutableImage } from './formats.ts';
import { Reporter } from './structural.ts';
import { checkQueue } from './queue.ts';

/** Variable names that hold credentials: their values must come from a secret, never from the spec. */
const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS)$/i;

export function checkReferences(ws: Workspace, entries: Entry[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const platformEntry = entries.find((e) => e.kind === 'Platform');
  const componentEntries = entries.filter(
    (e) =>
      e.kind !== 'Platform' &&
      e.kind !== 'Secret' &&
      e.kind !== 'Workflow' &&
      e.kind !== 'Watchdog',
  );
  const workflowEntries = entries.filter((e) => e.kind === 'Workflow');
  const secretEntries = entries.filter((e) => e.kind === 'Secret');
  out.push(
    ...checkDuplicates(componentEntries, 'component'),
    ...checkDuplicates(secretEntries, 'secret'),
    ...checkDuplicates(workflowEntries, 'workflow'),
  );
  const components = new Map(ws.components.map((c) => [c.name, c]));
  const secrets = new Set(ws.secrets.map((s) => s.name));
  const pools = new Set(ws.platform.spec.nodePools.map((p) => p.name));
  if (platformEntry) {
    const r = new Reporter(platformEntry.doc);
    const argo = ws.platform.spec.argocd;
    if (argo.enabled && argo.repoURL === undefined)
      r.report(
        ['spec', 'argocd'],
        'argocd.enabled needs argocd.repoURL',
        'set the Git repository that holds the rendered folder',
      );
    const agentPool = ws.platform.spec.agents.nodePool;
    if (agentPool !== undefined && !pools.has(agentPool))
      r.report(['spec', 'agents', 'nodePool'], `unknown node pool "${agentPool}"`, poolHint(pools));
    out.push(...r.diagnostics);
  }
  for (const entry of componentEntries) {
    const c = components.get(entry.value.metadata.name);
    if (!c || c.kind !== entry.kind) continue;
    const r = new Reporter(entry.doc);
    if (c.name === ws.platform.name)
      r.report(
        ['metadata', 'name'],
        `a component cannot be named like the platform ("${c.name}")`,
        'the platform name labels the shared objects; rename the component',
      );
    checkImage(ws, c, r);
    checkSecrets(c, secrets, r);
    checkNodePool(c, pools, r);
    checkConnections(c, components, r);
    checkPorts(c, r);
    checkSizes(ws, c, r);
    checkFiles(c, r);
    checkMounts(ws, c, r);
    checkKindSpecific(c, components, r);
    if (c.spec.apiAccess) checkApiAccess(c.spec.apiAccess, ['spec', 'apiAccess'], r);
    out.push(...r.diagnostics);
  }
  return out;
}

function checkDuplicates(entries: Entry[], what: string): Diagnostic[] {
  const seen = new Map<string, Entry>();
  const out: Diagnostic[] = [];
  for (const e of entries) {
    const name = e.value.metadata.name;
    const first = seen.get(name);
    if (!first) {
      seen.set(name, e);
      continue;
    }
    const r = new Reporter(e.doc);
    const at = new Reporter(first.doc);
    at.report(['metadata', 'name'], '');
    const pos = at.diagnostics[0]?.position;
    r.report(
      ['metadata', 'name'],
      `duplicate ${what} name "${name}"`,
      `already declared by the ${first.kind} in ${pos?.file}:${pos?.line}; names are unique across kinds`,
    );
    out.push(...r.diagnostics);
  }
  return out;
}

function poolHint(pools: Set<string>): string {
  return pools.size > 0
    ? `declared node pools: ${[...pools].join(', ')}`
    : 'declare it under the Platform spec.nodePools';
}

function checkImage(ws: Workspace, c: Component, r: Reporter): void {
  const image = effectiveImage(ws.platform.spec, c);
  if (image === undefined) {
    r.report(
      ['spec', 'image'],
      'missing required field "image"',
      'set spec.image, or a shared image in the Platform spec.agents.image',
    );
    return;
  }
  const own = c.kind !== 'Agent' || c.spec.image !== undefined;
  const allowed = own ? c.spec.allowMutableTag : ws.platform.spec.agents.allowMutableTag;
  if (!allowed && isMutableImage(image)) {
    r.report(
      ['spec', 'image'],
      `image "${image}" is not pinned (no tag, or :latest)`,
      'pin a version tag (agent:1.4.2) or a digest; set allowMutableTag: true only if you accept unreproducible rollouts',
    );
  }
  c.spec.init.forEach((init, i) => {
    if (init.image !== undefined && !c.spec.allowMutableTag && isMutableImage(init.image))
      r.report(
        ['spec', 'init', i, 'image'],
        `image "${init.image}" is not pinned (no tag, or :latest)`,
        'pin a version tag or a digest',
      );
  });
}

function checkSecrets(c: Component, secrets: Set<string>, r: Reporter): void {
  const hint =
    secrets.size > 0
      ? `declared secrets: ${[...secrets].join(', ')}`
      : 'declare it with a kind: Secret document';
  c.spec.envFrom.forEach((s, i) => {
    if (!secrets.has(s)) r.report(['spec', 'envFrom', i], `unknown secret "${s}"`, hint);
  });
  for (const [k, ref] of Object.entries(c.spec.secretEnv)) {
    if (!secrets.has(ref.secret))
      r.report(['spec', 'secretEnv', k, 'secret'], `unknown secret "${ref.secret}"`, hint);
  }
  if (c.kind === 'Agent' && c.spec.llm?.apiKey && !secrets.has(c.spec.llm.apiKey.secret))
    r.report(
      ['spec', 'llm', 'apiKey', 'secret'],
      `unknown secret "${c.spec.llm.apiKey.secret}"`,
      hint,
    );
  for (const field of ['env', 'config'] as const) {
    for (const [k, v] of Object.entries(c.spec[field])) {
      if (SECRET_NAME.test(k) && v !== '')
        r.report(
          ['spec', field, k],
          `"${k}" looks like a secret and would be rendered in plain text`,
          `move it to Vault and use secretEnv: {${k}: {secret: <name>, key: <key>}} or envFrom`,
        );
    }
  }
  const sources = new Map<string, string>();
  const add = (name: string, from: string, path: PathSegment[]) => {
    const prev = sources.get(name);
    if (prev !== undefined)
      r.report(
        path,
        `variable "${name}" is set twice (${prev} and ${from})`,
        'keep one of them',
        true,
      );
    else sources.set(name, from);
  };
  for (const k of Object.keys(c.spec.env)) add(k, 'env', ['spec', 'env', k]);
  for (const k of Object.keys(c.spec.secretEnv)) add(k, 'secretEnv', ['spec', 'secretEnv', k]);
  for (const k of Object.keys(c.spec.config)) add(k, 'config', ['spec', 'config', k]);
}

function checkNodePool(c: Component, pools: Set<string>, r: Reporter): void {
  if (c.spec.nodePool !== undefined && !pools.has(c.spec.nodePool))
    r.report(['spec', 'nodePool'], `unknown node pool "${c.spec.nodePool}"`, poolHint(pools));
}

function checkConnections(c: Component, components: Map<string, Component>, r: Reporter): void {
  c.spec.connections.forEach((conn, i) => {
    const target = components.get(conn.to);
    if (!target) {
      r.report(
        ['spec', 'connections', i, 'to'],
        `unknown component "${conn.to}"`,
        `declared components: ${[...components.keys()].join(', ')}`,
      );
      return;
    }
    if (target.name === c.name) {
      r.report(
        ['spec', 'connections', i, 'to'],
        'a component does not need a connection to itself',
      );
      return;
    }
    const ports = exposedPorts(target);
    if (ports.length === 0) {
      r.report(
        ['spec', 'connections', i, 'to'],
        `${target.kind} "${target.name}" exposes no port`,
        `declare a port on ${target.name}`,
      );
      return;
    }
    if (conn.port !== undefined && !findPort(ports, conn.port))
      r.report(
        ['spec', 'connections', i, 'port'],
        `${target.kind} "${target.name}" exposes no port ${JSON.stringify(conn.port)}`,
        `its ports: ${ports.map((p) => `${p.name} (${p.port})`).join(', ')}`,
      );
  });
}

function checkPorts(c: Component, r: Reporter): void {
  const ports = effectivePorts(c);
  const probes = c.spec.probes;
  if (probes.port !== undefined && !findPort(ports, probes.port))
    r.report(
      ['spec', 'probes', 'port'],
      `no declared port ${JSON.stringify(probes.port)}`,
      ports.length
        ? `declared ports: ${ports.map((p) => p.name).join(', ')}`
        : 'declare spec.ports',
    );
  if (probes.enabled && ports.length === 0 && probes.command === undefined)
    r.report(
      ['spec', 'probes'],
      'probes need a port or a command',
      'declare spec.ports, set probes.command, or set probes.enabled: false',
    );
  const seen = new Map<number, string>();
  ports.forEach((p, i) => {
    const prev = seen.get(p.port);
    if (prev !== undefined)
      r.report(
        ['spec', 'ports', i, 'port'],
        `port ${p.port} is declared twice (${prev} and ${p.name})`,
      );
    seen.set(p.port, p.name);
    if (p.port < 1024 && !c.spec.security.addNetBindService)
      r.report(
        ['spec', 'ports', i, 'port'],
        `port ${p.port} is below 1024 and the container runs as non-root`,
        'listen on a port above 1023, or set security.addNetBindService: true',
      );
  });
  const ingress = c.kind === 'Service' || c.kind === 'Agent' ? c.spec.ingress : undefined;
  if (ingress) {
    const exposed = exposedPorts(c);
    if (exposed.length === 0)
      r.report(['spec', 'ingress'], 'an Ingress needs an exposed port', 'declare spec.ports');
    else if (ingress.port !== undefined && !findPort(exposed, ingress.port))
      r.report(
        ['spec', 'ingress', 'port'],
        `no exposed port ${JSON.stringify(ingress.port)}`,
        `exposed ports: ${exposed.map((p) => p.name).join(', ')}`,
      );
  }
}

function checkKindSpecific(c: Component, components: Map<string, Component>, r: Reporter): void {
  if (c.kind === 'AgentPool') {
    const s = c.spec;
    const min = s.minReplicas ?? s.replicas;
    if ((s.queue || s.cpuTarget !== undefined) && s.maxReplicas === undefined)
      r.report(
        ['spec', 'maxReplicas'],
        'a pool that scales needs maxReplicas',
        'set maxReplicas (the upper bound of the autoscaler)',
      );
    if (s.maxReplicas !== undefined && s.maxReplicas < Math.max(min, 1))
      r.report(
        ['spec', 'maxReplicas'],
        `maxReplicas (${s.maxReplicas}) is below minReplicas (${min})`,
      );
    if (s.queue && s.cpuTarget !== undefined)
      r.report(
        ['spec', 'cpuTarget'],
        'set either queue or cpuTarget, not both',
        'a pool has one autoscaler',
      );
    if (s.queue) checkQueue(s.queue, components, r);
  }
  if (
    c.kind === 'Service' &&
    c.spec.autoscaling &&
    c.spec.autoscaling.maxReplicas < c.spec.autoscaling.minReplicas
  )
    r.report(
      ['spec', 'autoscaling', 'maxReplicas'],
      `maxReplicas (${c.spec.autoscaling.maxReplicas}) is below minReplicas (${c.spec.autoscaling.minReplicas})`,
    );
}
