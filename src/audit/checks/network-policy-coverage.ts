import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { policiesByWorkload } from './shared/network-policies.ts';

export const networkPolicyCoverage: Check = {
  id: 'network-policy-coverage',
  severity: 'warning',
  category: 'network',
  inputs: 'manifests',
  fixable: false,
  summary: 'Every pod is selected by NetworkPolicies for both Ingress and Egress.',
  remediation:
    'Add (or widen) a NetworkPolicy so the pod is isolated for ingress and egress; a namespace default-deny does both.',
  docs: `A pod that no Ingress policy selects accepts connections from every pod in the cluster; one that
no Egress policy selects can reach anything. (kube-linter's non-isolated-pod, Polaris'
missingNetworkPolicy.) Fixed by the \`default-deny\` fix, not by this check.`,
  run({ index }) {
    const out: RawFinding[] = [];
    const byWorkload = policiesByWorkload(index);
    for (const w of index.workloads) {
      const types = new Set((byWorkload.get(w) ?? []).flatMap((p) => p.types));
      const missing = ['Ingress', 'Egress'].filter((t) => !types.has(t));
      if (missing.length === 0) continue;
      out.push({
        target: w.target,
        path: ['metadata'],
        message: `${nameOf(w.target)} is not isolated for ${missing.join(' and ')} by any NetworkPolicy`,
      });
    }
    return out;
  },
};
