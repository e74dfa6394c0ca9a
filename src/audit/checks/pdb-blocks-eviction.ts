import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
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
static case. A KEDA ScaledObject counts like an HPA (its \`minReplicaCount\`, default 0, counted as
1: a pool scaled to zero has nothing to evict). Not fixed automatically: the intent (more replicas, or a looser budget) is yours.`,
  run({ index }) {
    const out: RawFinding[] = [];
    const hpas = hpasByTarget(index);
    for (const [w, pdbs] of pdbsSelecting(index)) {
      const replicas = minReplicas(hpas, w);
      for (const pdb of pdbs) {
        const minAvailable = get(pdb.object, ['spec', 'minAvailable']);
        const maxUnavailable = get(pdb.object, ['spec', 'maxUnavailable']);
        let reason: string | undefined;
        if (maxUnavailable === 0 || maxUnavailable === '0%') reason = 'maxUnavailable is 0';
        else if (minAvailable === '100%') reason = 'minAvailable is 100%';
        else if (
          typeof minAvailable === 'number' &&
          replicas !== undefined &&
          minAvailable >= replicas
        )
          reason = `minAvailable ${minAvailable} >= ${replicas} replicas of ${nameOf(w.target)}`;
        if (!reason) continue;
        out.push({
          target: pdb,
          path: ['spec', maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable'],
          message: `${nameOf(pdb)} blocks every eviction: ${reason}`,
        });
      }
    }
    return out;
  },
};
