/**
 * The table `berth up` ends with: what runs where. Pure: built from the live workloads and
 * pods.
 */
import type { KubeObject } from '../model/object.ts';
import { groupKindOf } from '../model/group-kind.ts';
import { explainPod, selectPods } from './readiness/index.ts';

export interface WorkloadRow {
  workload: string;
  namespace: string;
  ready: string;
  nodes: string[];
}

const workloadKinds = ['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job'];

export function isWorkload(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  return workloadKinds.includes(groupKindOf(obj));
}

export function workloadRows(
  workloads: readonly KubeObject[],
  pods: readonly KubeObject[],
): WorkloadRow[] {
  return workloads
    .filter(isWorkload)
    .map((w) => {
      const status = (w.status ?? {}) as Record<string, unknown>;
      const spec = (w.spec ?? {}) as Record<string, unknown>;
      const n = (v: unknown, d = 0): number => (typeof v === 'number' ? v : d);
      const active = selectPods(w, pods).filter((p) => !p.metadata.deletionTimestamp);
      // The wait may end before the controller's status counts the pods it saw Ready (ADR 0150).
      const readyPods = active.filter((p) => explainPod(p).state === 'ready').length;
      let ready: string;
      if (w.kind === 'DaemonSet')
        ready = `${n(status.numberReady)}/${n(status.desiredNumberScheduled)}`;
      else if (w.kind === 'Job') ready = `${n(status.succeeded)}/${n(spec.completions, 1)} done`;
      else ready = `${Math.max(n(status.readyReplicas), readyPods)}/${n(spec.replicas, 1)}`;
      const nodes = [
        ...new Set(
          active
            .map((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName)
            .filter((x): x is string => typeof x === 'string'),
        ),
      ].sort();
      return {
        workload: `${w.kind.toLowerCase()}/${w.metadata.name}`,
        namespace: w.metadata.namespace ?? '',
        ready,
        nodes,
      };
    })
    .sort((a, b) => (a.namespace + a.workload < b.namespace + b.workload ? -1 : 1));
}

/** Aligned columns, like kubectl's tables. */
export function formatTable(rows: readonly WorkloadRow[]): string {
  const table = [
    ['WORKLOAD', 'NAMESPACE', 'READY', 'NODES'],
    ...rows.map((r) => [r.workload, r.namespace, r.ready, r.nodes.join(',') || '-']),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  return table
    .map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd((widths[i] ?? 0) + 2) : cell)).join(''))
    .join('\n')
    .concat('\n');
}
