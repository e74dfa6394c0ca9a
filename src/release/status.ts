/**
 * `berth status` rows (pure): each workload of a release (Deployment, StatefulSet, DaemonSet,
 * Job, CronJob) and each PersistentVolumeClaim it declares, with ready/desired, the nodes its
 * pods run on, the release's revision, who owns the replicas (HPA, ScaledObject, berth's
 * autoscaler), and the readiness engine's verdict and reason.
 */
import { findPvcConsumers } from '../deploy/plan/index.ts';
import {
  assessReadiness,
  selectPods,
  type Readiness,
  type ReadinessContext,
  type ReadinessStatus,
} from '../deploy/readiness/index.ts';
import type { KubeObject } from '../model/object.ts';
import { componentLabel } from './components.ts';
import {
  belowMinimum,
  cronJobStatus,
  jobStatus,
  pvcStatus,
  scaledBy,
  statefulSetClaimsNote,
  type KindStatus,
} from './status-kinds.ts';

/** The kinds `status` reports, in table order. */
export const statusKinds = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'PersistentVolumeClaim',
] as const;

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
  /** Who owns the replicas when the spec does not: `HorizontalPodAutoscaler api (min 2, max 10)`. */
  scaledBy?: string;
  /** Worth a look, but not unhealthy: an HPA that cannot read its metrics, claims, active runs. */
  notes?: string[];
}

/** What the command read from a namespace: the objects the rows are judged against. */
export interface NamespaceView {
  pods: readonly KubeObject[];
  replicaSets: readonly KubeObject[];
  /** Jobs (a CronJob's runs). @default none */
  jobs?: readonly KubeObject[];
  /** Claims (a StatefulSet's). @default none */
  pvcs?: readonly KubeObject[];
  /** HPAs and ScaledObjects. @default none */
  autoscalers?: readonly KubeObject[];
  /** The cluster's StorageClasses (a Pending claim's binding mode). @default unknown */
  storageClasses?: readonly KubeObject[];
}

/** Whether `status` reports objects of this kind. */
export function isStatusKind(obj: KubeObject): boolean {
  return (statusKinds as readonly string[]).includes(obj.kind);
}

/**
 * One row per reported object of a revision (`objects`), in table order. `live` returns the
 * object on the cluster (undefined: deleted behind berth's back), `view` its namespace's view.
 */
export function statusRows(
  release: { name: string; revision: number },
  objects: readonly KubeObject[],
  live: (obj: KubeObject) => KubeObject | undefined,
  view: (namespace: string) => NamespaceView,
): StatusRow[] {
  const consumers = findPvcConsumers(objects, '');
  return objects
    .filter(isStatusKind)
    .map((o) => ({ o, rank: (statusKinds as readonly string[]).indexOf(o.kind) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ o }) =>
      statusRow(release, o, live(o), { ...view(o.metadata.namespace ?? ''), consumers }),
    );
}

/** One row (`live` undefined: deleted behind berth's back). */
export function statusRow(
  release: { name: string; revision: number },
  declared: KubeObject,
  live: KubeObject | undefined,
  view: NamespaceView & { consumers?: ReturnType<typeof findPvcConsumers> },
): StatusRow {
  const base = {
    release: release.name,
    revision: release.revision,
    component: declared.metadata.labels?.[componentLabel] ?? '',
    kind: declared.kind,
    namespace: declared.metadata.namespace ?? '',
    name: declared.metadata.name,
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
  const ctx: ReadinessContext = { pods: view.pods, replicaSets: view.replicaSets };
  if (view.storageClasses) ctx.storageClasses = view.storageClasses;
  if (view.consumers) ctx.pvcConsumers = view.consumers;
  const s = kindStatus(live, ctx, view);
  const nodes = [
    ...new Set(
      selectPods(live, view.pods)
        .map((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName)
        .filter((n): n is string => Boolean(n)),
    ),
  ].sort();
  const row: StatusRow = {
    ...base,
    ready: s.ready,
    desired: s.desired,
    nodes: live.kind === 'PersistentVolumeClaim' ? [] : nodes,
    status: s.readiness.status,
    reason: s.readiness.reason,
  };
  const owner =
    live.kind === 'Deployment' || live.kind === 'StatefulSet'
      ? scaledBy(live, view.autoscalers ?? [])
      : undefined;
  const notes = [...s.notes, ...(owner?.notes ?? [])];
  if (owner) {
    row.scaledBy = owner.by;
    // Ready at the autoscaler's minimum, not at whatever the spec says now (ADR 0064).
    const below = row.status === 'Current' ? belowMinimum(live, owner.min) : undefined;
    if (below) Object.assign(row, { status: 'InProgress', reason: below });
  }
  if (notes.length) row.notes = notes;
  return row;
}

function kindStatus(live: KubeObject, ctx: ReadinessContext, view: NamespaceView): KindStatus {
  const status = (live.status ?? {}) as Record<string, unknown>;
  const spec = (live.spec ?? {}) as Record<string, unknown>;
  const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);
  switch (live.kind) {
    case 'Job':
      return jobStatus(live, ctx);
    case 'CronJob':
      return cronJobStatus(live, view.jobs ?? []);
    case 'PersistentVolumeClaim':
      return pvcStatus(live, ctx);
    case 'DaemonSet':
      return workload(live, ctx, num(status.numberReady), num(status.desiredNumberScheduled));
    default: {
      const s = workload(live, ctx, num(status.readyReplicas), num(spec.replicas, 1));
      const claims =
        live.kind === 'StatefulSet' ? statefulSetClaimsNote(live, view.pvcs ?? []) : undefined;
      if (claims) s.notes.push(claims);
      return s;
    }
  }
}

function workload(
  live: KubeObject,
  ctx: ReadinessContext,
  ready: number,
  desired: number,
): KindStatus {
  const readiness: Readiness = assessReadiness(live, ctx);
  return { readiness, ready, desired, notes: [] };
}

/** Whether anything needs attention (exit 1): a row that is not Current. Notes do not count. */
export function isUnhealthy(rows: readonly StatusRow[]): boolean {
  return rows.some((r) => r.status !== 'Current');
}

function readyCell(r: StatusRow): string {
  if (r.status === 'Missing') return '-';
  if (r.kind === 'PersistentVolumeClaim') return r.ready ? 'Bound' : 'Unbound';
  if (r.kind === 'CronJob') return `${r.ready} active`;
  return `${r.ready}/${r.desired}`;
}

function statusCell(r: StatusRow): string {
  const owner = r.scaledBy ? ` (replicas: ${r.scaledBy})` : '';
  if (r.status !== 'Current') return `${r.status}: ${r.reason}${owner}`;
  if (r.kind === 'Deployment' || r.kind === 'StatefulSet' || r.kind === 'DaemonSet')
    return `Ready${owner}`;
  return r.reason;
}

export function formatStatus(rows: readonly StatusRow[]): string {
  const header = ['RELEASE', 'REV', 'COMPONENT', 'WORKLOAD', 'READY', 'NODES', 'STATUS'];
  const table = rows.map((r) => [
    r.release,
    String(r.revision),
    r.component || '-',
    `${r.kind} ${r.namespace}/${r.name}`,
    readyCell(r),
    r.nodes.join(',') || '-',
    statusCell(r),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const notes = rows.flatMap((r) =>
    (r.notes ?? []).map((n) => `note: ${r.kind} ${r.namespace}/${r.name}: ${n}`),
  );
  return `${[line(header), ...table.map(line), ...notes].join('\n')}\n`;
}
