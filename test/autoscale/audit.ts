/**
 * Who wrote a Deployment's /scale, counted by the API server rather than by the autoscalers:
 * the sandbox's audit log (`<run dir>/logs/audit.log`, next to its kubeconfig; docs/sandbox.md)
 * when the test cluster has one.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The audit log of the sandbox `kubeconfig` belongs to, or undefined (a foreign cluster). */
export function sandboxAuditLog(kubeconfig: string): string | undefined {
  const file = join(dirname(realpathSync(kubeconfig)), 'logs', 'audit.log');
  return existsSync(file) ? file : undefined;
}

export const auditOffset = (file: string): number => statSync(file).size;

export interface ScaleWrite {
  /** The user name and, for ServiceAccount tokens, the token's credential id. */
  identity: string;
  verb: string;
  code?: number;
}

interface AuditEvent {
  verb?: string;
  stage?: string;
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
  user?: { username?: string; extra?: Record<string, string[]> };
  responseStatus?: { code?: number };
}

/** The completed writes of deployments/scale to `namespace/name` logged after byte `offset`. */
export function scaleWrites(
  file: string,
  offset: number,
  namespace: string,
  name: string,
): ScaleWrite[] {
  const out: ScaleWrite[] = [];
  for (const line of readFileSync(file).subarray(offset).toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as AuditEvent;
    const r = e.objectRef;
    if (e.stage !== 'ResponseComplete' || !['update', 'patch'].includes(e.verb ?? '')) continue;
    if (r?.resource !== 'deployments' || r.subresource !== 'scale') continue;
    if (r.namespace !== namespace || r.name !== name) continue;
    const credential = e.user?.extra?.['authentication.kubernetes.io/credential-id']?.[0];
    out.push({
      identity: `${e.user?.username ?? '?'}${credential ? ` (${credential})` : ''}`,
      verb: e.verb ?? '',
      ...(e.responseStatus?.code !== undefined ? { code: e.responseStatus.code } : {}),
    });
  }
  return out;
}
