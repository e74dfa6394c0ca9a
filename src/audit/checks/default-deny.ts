import type { Check, RawFinding } from '../engine/types.ts';
import {
  allowDnsPolicy,
  allowsDns,
  defaultDenyPolicy,
  namespacesWithWorkloads,
  policiesByWorkload,
  policiesIn,
} from './shared/network-policies.ts';
import { nameOf } from './shared/describe.ts';

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
UDP **and** TCP 53, so a deny-all never breaks name resolution) — but only when every workload of the
namespace is already selected by ingress and egress policies of its own. Otherwise no fix is made:
a default deny would silently cut the traffic of the pods no policy allows, and which edges they
need is not in the manifests.`,
  run({ index }) {
    const out: RawFinding[] = [];
    const byWorkload = policiesByWorkload(index);
    for (const [namespace, workloads] of namespacesWithWorkloads(index)) {
      const first = workloads[0];
      if (!first) continue;
      const hasDeny = workloads.every((w) => (byWorkload.get(w) ?? []).some((p) => p.denyAll));
      if (hasDeny) continue;
      const uncovered = workloads.filter((w) => {
        const types = new Set((byWorkload.get(w) ?? []).flatMap((p) => p.types));
        return !types.has('Ingress') || !types.has('Egress');
      });
      const finding: RawFinding = {
        target: first.target,
        path: ['metadata'],
        message: `namespace ${namespace} has no default-deny NetworkPolicy (found while auditing ${nameOf(first.target)})`,
      };
      if (uncovered.length > 0) {
        finding.unfixableReason = `a default deny would cut the traffic of ${uncovered.map((w) => nameOf(w.target)).join(', ')}, which no policy of its own allows; declare their edges first`;
      } else {
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
        finding.fix = {
          kind: 'new-object',
          description: `add NetworkPolicies ${objects.map((o) => o.value.metadata.name).join(' and ')} to namespace ${namespace}`,
          objects,
        };
      }
      out.push(finding);
    }
    return out;
  },
};
