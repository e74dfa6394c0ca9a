import { get, isRecord } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { hpaOf, hpasByTarget, minReplicas, pdbsSelecting } from './shared/scalers.ts';

export const pdbMissing: Check = {
  id: 'pdb-missing',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: true,
  summary:
    'Workloads that run two or more replicas (or scale from two) have a PodDisruptionBudget.',
  remediation:
    'Add a PodDisruptionBudget with minAvailable: 1 (or maxUnavailable: 1) selecting the pods.',
  docs: `Without a PDB a node drain may evict every replica at once. Workloads scaled by an HPA or a KEDA
ScaledObject count with their minimum. Single-replica workloads are not
checked (a PDB on them either blocks drains or protects nothing). The fix appends a
PodDisruptionBudget named \`<workload>\` with \`minAvailable: 1\`, the workload's own
\`spec.selector\` and \`unhealthyPodEvictionPolicy: AlwaysAllow\` to the workload's file.`,
  run({ index }) {
    const out: RawFinding[] = [];
    const hpas = hpasByTarget(index);
    const pdbs = pdbsSelecting(index);
    for (const w of index.workloads) {
      const min = minReplicas(hpas, w);
      const scales = hpaOf(hpas, w) !== undefined || (w.replicas ?? 0) >= 2;
      if (
        min === undefined ||
        !scales ||
        Math.max(min, w.replicas ?? 0) < 2 ||
        (pdbs.get(w) ?? []).length > 0
      )
        continue;
      const selector = get(w.target.object, ['spec', 'selector']);
      const finding: RawFinding = {
        target: w.target,
        path: ['spec', 'replicas'],
        message: `${nameOf(w.target)} runs ${Math.max(min, w.replicas ?? 0)} replicas without a PodDisruptionBudget`,
      };
      if (isRecord(selector)) {
        const name = w.target.object.metadata.name;
        finding.fix = {
          kind: 'new-object',
          description: `add PodDisruptionBudget ${name} (minAvailable 1)`,
          objects: [
            {
              key: `PodDisruptionBudget/${w.namespace}/${name}`,
              value: {
                apiVersion: 'policy/v1',
                kind: 'PodDisruptionBudget',
                metadata: { name, namespace: w.namespace },
                spec: {
                  minAvailable: 1,
                  selector: structuredClone(selector),
                  unhealthyPodEvictionPolicy: 'AlwaysAllow',
                },
              },
            },
          ],
        };
      } else finding.unfixableReason = 'the workload has no selector to copy';
      out.push(finding);
    }
    return out;
  },
};
