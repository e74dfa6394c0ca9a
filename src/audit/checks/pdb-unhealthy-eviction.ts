import { allOfKind } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf, set } from './shared/describe.ts';

export const pdbUnhealthyEviction: Check = {
  id: 'pdb-unhealthy-eviction',
  severity: 'info',
  category: 'reliability',
  inputs: 'manifests',
  fixable: true,
  summary:
    'PodDisruptionBudgets let unhealthy pods be evicted (unhealthyPodEvictionPolicy: AlwaysAllow).',
  remediation: 'Set spec.unhealthyPodEvictionPolicy: AlwaysAllow on the PodDisruptionBudget.',
  docs: `With the default policy, a crash-looping pod counts against the budget and blocks the drain of
its node. Seed 001 sets AlwaysAllow; so does the fix.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const pdb of allOfKind(index, 'PodDisruptionBudget')) {
      if (get(pdb.object, ['spec', 'unhealthyPodEvictionPolicy']) === 'AlwaysAllow') continue;
      out.push({
        target: pdb,
        path: ['spec'],
        message: `${nameOf(pdb)} keeps unhealthy pods from being evicted`,
        fix: {
          kind: 'object',
          description: 'set unhealthyPodEvictionPolicy: AlwaysAllow',
          ops: [set(['spec', 'unhealthyPodEvictionPolicy'], 'AlwaysAllow')],
        },
      });
    }
    return out;
  },
};
