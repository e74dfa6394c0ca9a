/**
 * The sandbox API server's audit log (ADR 0023 sandbox, `<run dir>/logs/audit.log`, every write
 * at Metadata level) read from an offset, and the names of the objects each step of
 * deploy-full-stack writes, to assert that a resumed run repeats no completed step's mutation.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderWorkspace } from '../../../src/render/index.ts';
import { releaseObjectNames } from '../../../src/release/identity.ts';
import { loadWorkspace } from '../../../src/spec/adapters/files.ts';
import type { Workflow } from '../../../src/workflow/model.ts';

export interface AuditWrite {
  verb: string;
  name: string;
  namespace?: string;
  resource: string;
  /** Who wrote: berth's runs use the kubeconfig's user; controllers are `system:` users. */
  user: string;
  manager?: string;
}

/** The audit log of the sandbox a kubeconfig belongs to; undefined for another cluster. */
export function auditLogOf(kubeconfig: string): string | undefined {
  const path = join(dirname(realpathSync(kubeconfig)), 'logs', 'audit.log');
  return existsSync(path) ? path : undefined;
}

export function auditSize(path: string): number {
  return statSync(path).size;
}

/** The writes logged after byte `offset`. */
export function writesSince(path: string, offset: number): AuditWrite[] {
  const text = readFileSync(path).subarray(offset).toString('utf8');
  const out: AuditWrite[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const e = JSON.parse(line) as {
      verb: string;
      stage?: string;
      requestURI?: string;
      objectRef?: { resource: string; name?: string; namespace?: string };
      user?: { username?: string };
    };
    if (!['create', 'update', 'patch', 'delete'].includes(e.verb) || !e.objectRef?.name) continue;
    if (e.stage !== undefined && e.stage !== 'ResponseComplete') continue;
    const w: AuditWrite = {
      verb: e.verb,
      name: e.objectRef.name,
      resource: e.objectRef.resource,
      user: e.user?.username ?? '',
    };
    if (e.objectRef.namespace !== undefined) w.namespace = e.objectRef.namespace;
    const manager = /fieldManager=([^&]+)/.exec(e.requestURI ?? '')?.[1];
    if (manager !== undefined) w.manager = decodeURIComponent(manager);
    out.push(w);
  }
  return out;
}

/** Whether a write touches what `step` of deploy-full-stack wrote. */
export async function stepMatchers(
  workspaceDir: string,
  workflow: Workflow,
  runId: string,
): Promise<Map<string, (w: AuditWrite) => boolean>> {
  const objects = renderWorkspace(await loadWorkspace(workspaceDir));
  const platform = 'vapora';
  const out = new Map<string, (w: AuditWrite) => boolean>();
  for (const s of workflow.spec.steps) {
    const names = new Set<string>();
    let prefix: string | undefined;
    if (s.task === 'apply') {
      const components = (s.params.components as string[] | undefined) ?? [];
      for (const o of objects)
        if (components.includes(o.metadata.labels?.['berth.dev/component'] ?? platform))
          names.add(o.metadata.name);
      for (const o of (s.params.objects as { metadata: { name: string } }[] | undefined) ?? [])
        names.add(o.metadata.name);
      const release = { name: `${platform}-${s.name}`, namespace: '' };
      const ids = releaseObjectNames(release);
      names.add(ids.parent);
      names.add(ids.lease);
      prefix = `berth.release.v1.${release.name}.`;
    }
    if (s.task === 'run-job') names.add(`${s.name}-${runId.slice(-4)}`);
    out.set(
      s.name,
      (w) => names.has(w.name) || (prefix !== undefined && w.name.startsWith(prefix)),
    );
  }
  return out;
}
