/**
 * Checks of berth's own service across documents (ADR 0115): one Watchdog document, one place
 * that declares the service, declared secrets and node pools, a pinned image, a name no component
 * takes, and the ledger in the service's namespace. Each problem names its file:line and field.
 */
import type { Diagnostic } from '../../errors.ts';
import type { PathSegment } from '../../yaml/stream.ts';
import { withRegistry } from '../resolve.ts';
import type { BerthServiceSpec } from '../schema/berth-service.ts';
import { berthServiceOf } from '../service.ts';
import type { Entry, Workspace } from '../workspace.ts';
import { isMutableImage } from './formats.ts';
import { Reporter } from './structural.ts';

export function checkService(ws: Workspace, entries: Entry[]): Diagnostic[] {
  const watchdogs = entries.filter((e) => e.kind === 'Watchdog');
  const platform = entries.find((e) => e.kind === 'Platform');
  const out: Diagnostic[] = [];
  for (const extra of watchdogs.slice(1)) {
    const r = new Reporter(extra.doc);
    r.report(
      ['kind'],
      'only one Watchdog document is allowed',
      `the first is in ${watchdogs[0]?.doc.file}`,
    );
    out.push(...r.diagnostics);
  }
  const decl = berthServiceOf(ws);
  if (!decl) return out;
  const inWatchdog = decl.watchdog !== undefined;
  const entry = inWatchdog ? watchdogs[0] : platform;
  if (!entry) return out;
  const r = new Reporter(entry.doc);
  const base: PathSegment[] = inWatchdog ? ['spec', 'service'] : ['spec', 'autoscaling', 'service'];
  if (inWatchdog && ws.platform.spec.autoscaling.service && platform) {
    const p = new Reporter(platform.doc);
    p.report(
      ['spec', 'autoscaling', 'service'],
      'berth runs as one service (ADR 0100): it is declared in the Watchdog document already',
      `remove autoscaling.service; the service of ${watchdogs[0]?.doc.file} runs the autoscaler too`,
    );
    out.push(...p.diagnostics);
  }
  checkSpec(ws, decl.spec, base, r);
  if (ws.components.some((c) => c.name === decl.name))
    r.report(
      [...base, 'name'],
      `the service's name "${decl.name}" is taken by a component (their objects would collide)`,
      'set service.name to a name no agent, pool, service or store uses',
    );
  const wd = decl.watchdog;
  if (wd && wd.name !== decl.name && ws.components.some((c) => c.name === wd.name))
    r.report(
      ['metadata', 'name'],
      `the Watchdog document's name "${wd.name}" is taken by a component`,
      "the service's objects are filed under it (berth render -o, audit); rename one of them",
    );
  if (wd) {
    const llmKey = wd.spec.llm?.apiKey?.secret;
    if (llmKey !== undefined && !ws.secrets.some((s) => s.name === llmKey))
      r.report(['spec', 'llm', 'apiKey', 'secret'], `unknown secret "${llmKey}"`, secretHint(ws));
    const raw = (entry.doc.value as { spec?: { ledgerNamespace?: unknown } }).spec;
    if (raw?.ledgerNamespace !== undefined && raw.ledgerNamespace !== decl.namespace)
      r.report(
        ['spec', 'ledgerNamespace'],
        `the service runs in namespace "${decl.namespace}", and keeps its ledger there`,
        `remove ledgerNamespace, or set metadata.namespace: ${JSON.stringify(raw.ledgerNamespace)}`,
      );
  }
  out.push(...r.diagnostics);
  return out;
}

function checkSpec(ws: Workspace, spec: BerthServiceSpec, base: PathSegment[], r: Reporter): void {
  const image = withRegistry(ws.platform.spec.registry, spec.image);
  if (!spec.allowMutableTag && isMutableImage(image))
    r.report(
      [...base, 'image'],
      `image "${image}" is not pinned (no tag, or :latest)`,
      'pin a version tag (berth:0.9.0) or a digest',
    );
  const secrets = new Set(ws.secrets.map((s) => s.name));
  spec.envFrom.forEach((name, i) => {
    if (!secrets.has(name))
      r.report([...base, 'envFrom', i], `unknown secret "${name}"`, secretHint(ws));
  });
  if (!secrets.has(spec.dashboard.authSecret))
    r.report(
      [...base, 'dashboard', 'authSecret'],
      `unknown secret "${spec.dashboard.authSecret}"`,
      secretHint(ws),
    );
  const pool = spec.nodePool;
  if (pool !== undefined && !ws.platform.spec.nodePools.some((p) => p.name === pool))
    r.report(
      [...base, 'nodePool'],
      `unknown node pool "${pool}"`,
      'declare it under the Platform spec.nodePools',
    );
}

function secretHint(ws: Workspace): string {
  return ws.secrets.length > 0
    ? `declared secrets: ${ws.secrets.map((s) => s.name).join(', ')}`
    : 'declare it as a Secret document (vault path, or an existing Secret)';
}
