/**
 * `berth status` rows (pure): each workload of a release with ready/desired, the nodes its pods
 * run on, the release's revision, and the readiness engine's verdict and reason.
 */
import { assessReadiness, selectPods, type ReadinessStatus } from '../deploy/readiness/index.ts';
import type { KubeObject } from '../model/object.ts';
import { componentLabel } from './components.ts';

export interface StatusRow {
  release: string;
  revision: number;
  component: string;
  kind: string;
  namespace: string;
  name: string;
  ready: number;
  desired: number;
  nodes: string[];
  status: ReadinessStatus | 'Missing';
  reason: string;
}

/** One row per workload of the revision (`live` undefined: deleted behind berth's back). */
export function statusRow(
  release: { name: string; revision: number },
  workload: KubeObject,
  live: KubeObject | undefined,
  ctx: { pods: readonly KubeObject[]; replicaSets: readonly KubeObject[] },
): StatusRow {
  const base = {
    release: release.name,
    revision: release.revision,
    component: workload.metadata.labels?.[componentLabel] ?? '',
    kind: workload.kind,
    namespace: workload.metadata.namespace ?? '',
    name: workload.metadata.name,
  };
  if (!live)
    return {
      ...base,
      ready: 0,
      desired: 0,
      nodes: [],
      status: 'Missing',
      reason: 'not found on the cluster',
    };
  const r = assessReadiness(live, ctx);
  const status = (live.status ?? {}) as Record<string, unknown>;
  const spec = (live.spec ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const desired =
    live.kind === 'DaemonSet' ? num(status.desiredNumberScheduled) : num(spec.replicas ?? 1);
  const ready = live.kind === 'DaemonSet' ? num(status.numberReady) : num(status.readyReplicas);
  const nodes = [
    ...new Set(
      selectPods(live, ctx.pods)
        .map((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName)
        .filter((n): n is string => Boolean(n)),
    ),
  ].sort();
  return { ...base, ready, desired, nodes, status: r.status, reason: r.reason };
}

/** Whether anything needs attention (exit 1). */
export function isUnhealthy(rows: readonly StatusRow[]): boolean {
  return rows.some((r) => r.status !== 'Current');
}

export function formatStatus(rows: readonly StatusRow[]): string {
  const header = ['RELEASE', 'REV', 'COMPONENT', 'WORKLOAD', 'READY', 'NODES', 'STATUS'];
  const table = rows.map((r) => [
    r.release,
    String(r.revision),
    r.component,
    `${r.kind} ${r.namespace}/${r.name}`,
    `${r.ready}/${r.desired}`,
    r.nodes.join(',') || '-',
    r.status === 'Current' ? 'Ready' : `${r.status}: ${r.reason}`,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(header), ...table.map(line)].join('\n')}\n`;
}
