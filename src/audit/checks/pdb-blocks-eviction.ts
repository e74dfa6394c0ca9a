import { allOfKind } from '../engine/index-objects.ts';
import { get, type Workload } from '../engine/pods.ts';
import type { Check, LocatedObject, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { hpasByTarget, minReplicas, pdbsSelecting } from './shared/scalers.ts';

export const pdbBlocksEviction: Check = {
  id: 'pdb-blocks-eviction',
  severity: 'error',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary:
    'No PodDisruptionBudget forbids every eviction (minAvailable >= replicas or HPA minReplicas, or maxUnavailable 0).',
  remediation:
    'Lower minAvailable below the smallest replica count (HPA minReplicas included), or use maxUnavailable: 1.',
  docs: `A PDB whose minAvailable is at least the replica count — counting the HPA's minReplicas, which
the workload may scale down to — or whose maxUnavailable is 0 blocks every node drain and
cluster upgrade. Polaris checks minAvailable against HPA minReplicas; kube-linter only the
static case. Each budget is judged alone first — \`maxUnavailable: 0\` (or \`0%\`) and
\`minAvailable: 100%\` block whatever they select, so they are reported even when no workload is in
the input — then against the pods it selects, summed over the workloads, at their smallest size:
percentages are rounded up as the disruption controller does, so \`minAvailable: 90%\` of 3
replicas is 3 pods and blocks, 50 % of 3 is 2 and does not. A KEDA ScaledObject counts like an HPA (its \`minReplicaCount\`, default 0, counted as
1: a pool scaled to zero has nothing to evict). Not fixed automatically: the intent (more replicas, or a looser budget) is yours.`,
  run({ index }) {
    const out: RawFinding[] = [];
    const hpas = hpasByTarget(index);
    const selected = new Map<LocatedObject, Workload[]>();
    for (const [w, pdbs] of pdbsSelecting(index))
      for (const pdb of pdbs) selected.set(pdb, [...(selected.get(pdb) ?? []), w]);
    for (const pdb of allOfKind(index, 'PodDisruptionBudget')) {
      const workloads = selected.get(pdb) ?? [];
      const counts = workloads.map((w) => minReplicas(hpas, w));
      // The pods the budget counts: every selected workload at its smallest size.
      const replicas = counts.includes(undefined)
        ? undefined
        : counts.reduce<number>((sum, n) => sum + (n ?? 0), 0);
      const budget = {
        minAvailable: get(pdb.object, ['spec', 'minAvailable']),
        maxUnavailable: get(pdb.object, ['spec', 'maxUnavailable']),
      };
      const reason = blockingReason(budget, workloads.length > 0 ? replicas : undefined);
      if (!reason) continue;
      const of =
        workloads.length > 0 ? ` of ${workloads.map((w) => nameOf(w.target)).join(', ')}` : '';
      out.push({
        target: pdb,
        path: ['spec', budget.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable'],
        message: `${nameOf(pdb)} blocks every eviction: ${reason}${reason.includes('replica') ? of : ''}`,
      });
    }
    return out;
  },
};

/** An int-or-percent as the disruption controller reads it: percentages of `total`, rounded up. */
function scaled(value: unknown, total: number): number | undefined {
  if (typeof value === 'number') return value;
  const m = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return m ? Math.ceil((Number(m[1]) * total) / 100) : undefined;
}

/**
 * Why a budget allows no disruption, judged alone (maxUnavailable 0, minAvailable 100 %) or
 * against the smallest number of pods it selects (`replicas`, when the workloads are known).
 */
export function blockingReason(
  budget: { minAvailable: unknown; maxUnavailable: unknown },
  replicas: number | undefined,
): string | undefined {
  const { minAvailable, maxUnavailable } = budget;
  if (maxUnavailable !== undefined) {
    if (maxUnavailable === 0 || maxUnavailable === '0%') return 'maxUnavailable is 0';
    return undefined; // any other value allows at least one (percentages round up)
  }
  if (minAvailable === '100%') return 'minAvailable is 100%';
  if (replicas === undefined || minAvailable === undefined) return undefined;
  const healthy = scaled(minAvailable, replicas);
  if (healthy === undefined || replicas - healthy > 0) return undefined;
  return typeof minAvailable === 'string'
    ? `minAvailable ${minAvailable} of ${replicas} replica${replicas === 1 ? '' : 's'} is ${healthy} pod${healthy === 1 ? '' : 's'}, all of them`
    : `minAvailable ${healthy} >= ${replicas} replica${replicas === 1 ? '' : 's'}`;
}
