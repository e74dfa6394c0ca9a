import type { Check, RawFinding } from '../engine/types.ts';
import {
  allowDnsPolicy,
  allowsDns,
  defaultDenyPolicy,
  namespacesWithWorkloads,
  policiesByWorkload,
  policiesIn,
} from './network-policies.ts';
import { nameOf } from './helpers.ts';

export const defaultDeny: Check = {
  id: 'default-deny',
  severity: 'error',
  category: 'network',
  inputs: 'manifests',
  fixable: true,
  summary:
    'Every namespace with workloads has a default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules).',
  remediation:
    'Add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] to the namespace, then allow each edge explicitly.',
  docs: `Without a default deny, every pod that no policy selects accepts traffic from anywhere and can
reach anything — including the cloud metadata endpoint. Seed 001's policies select three pods
and leave the rest open. No peer checks this per namespace. The fix appends two policies to the
file of the namespace's first workload: \`default-deny\` and \`allow-dns\` (egress to kube-dns on
UDP **and** TCP 53, so a deny-all never breaks name resolution).`,
  run({ index }) {
    const out: RawFinding[] = [];
    const byWorkload = policiesByWorkload(index);
    for (const [namespace, workloads] of namespacesWithWorkloads(index)) {
      const first = workloads[0];
      if (!first) continue;
      const hasDeny = workloads.every((w) => (byWorkload.get(w) ?? []).some((p) => p.denyAll));
      if (hasDeny) continue;
      const dnsOk = workloads.every(
        (w) =>
          allowsDns(byWorkload.get(w) ?? [], 'UDP') && allowsDns(byWorkload.get(w) ?? [], 'TCP'),
      );
      const objects = [
        { key: `NetworkPolicy/${namespace}/default-deny`, value: defaultDenyPolicy(namespace) },
      ];
      const hasDnsPolicy = policiesIn(index, namespace).some(
        (p) => p.object.metadata.name === 'allow-dns',
      );
      if (!dnsOk && !hasDnsPolicy)
        objects.push({
          key: `NetworkPolicy/${namespace}/allow-dns`,
          value: allowDnsPolicy(namespace),
        });
      out.push({
        target: first.target,
        path: ['metadata'],
        message: `namespace ${namespace} has no default-deny NetworkPolicy (found while auditing ${nameOf(first.target)})`,
        fix: {
          kind: 'new-object',
          description: `add NetworkPolicies ${objects.map((o) => o.value.metadata.name).join(' and ')} to namespace ${namespace}`,
          objects,
        },
      });
    }
    return out;
  },
};
