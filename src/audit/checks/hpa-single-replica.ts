import { allOfKind } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const hpaSingleReplica: Check = {
  id: 'hpa-single-replica',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: 'HorizontalPodAutoscalers keep at least two replicas (minReplicas >= 2).',
  remediation:
    'Set minReplicas to 2 or more, or accept the downtime with a suppression that says why.',
  docs: `An HPA with \`minReplicas: 1\` (the default) scales the workload down to a single pod at quiet
times: every drain, eviction or crash of that pod is an outage (kube-linter
\`hpa-minimum-three-replicas\` asks for three, Polaris for two). berth asks for two: enough to survive
one disruption, with \`pdb-*\` making drains wait for the second. KEDA ScaledObjects are judged by
their own checks (scaling to zero is their point). Not fixed automatically: replicas cost money.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const hpa of allOfKind(index, 'HorizontalPodAutoscaler')) {
      const min = get(hpa.object, ['spec', 'minReplicas']);
      if (typeof min === 'number' && min !== 1) continue;
      if (min !== undefined && typeof min !== 'number') continue;
      out.push({
        target: hpa,
        path: ['spec', ...(min === undefined ? [] : ['minReplicas'])],
        message: `${nameOf(hpa)} may scale down to a single replica (minReplicas ${min === undefined ? 'defaults to' : 'is'} 1)`,
      });
    }
    return out;
  },
};
