import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { allowDnsPolicy, allowsDns, policiesByWorkload } from './shared/network-policies.ts';

export const dnsEgress: Check = {
  id: 'dns-egress',
  severity: 'error',
  category: 'network',
  inputs: 'manifests',
  fixable: true,
  summary: 'Pods under an egress policy may reach DNS on port 53 over both UDP and TCP.',
  remediation:
    'Allow egress to kube-dns on UDP 53 and TCP 53 (one namespace-wide allow-dns policy does it).',
  docs: `Once a policy restricts a pod's egress, DNS must be allowed explicitly. Seed 001's policies allow
UDP 53 only: responses larger than 512 bytes (many AAAA records, DNSSEC) are retried over TCP and
then time out — an intermittent failure that is hard to trace. A rule without ports allows every
port. The fix appends a namespace-wide \`allow-dns\` policy (egress to kube-dns, UDP and TCP 53).`,
  run({ index }) {
    const out: RawFinding[] = [];
    const byWorkload = policiesByWorkload(index);
    for (const w of index.workloads) {
      const policies = byWorkload.get(w) ?? [];
      if (!policies.some((p) => p.types.includes('Egress'))) continue;
      const missing = (['UDP', 'TCP'] as const).filter((proto) => !allowsDns(policies, proto));
      if (missing.length === 0) continue;
      out.push({
        target: w.target,
        path: ['metadata'],
        message: `${nameOf(w.target)} cannot resolve names over ${missing.join(' and ')} 53: its egress policies do not allow it`,
        fix: {
          kind: 'new-object',
          description: `add NetworkPolicy allow-dns to namespace ${w.namespace}`,
          objects: [
            { key: `NetworkPolicy/${w.namespace}/allow-dns`, value: allowDnsPolicy(w.namespace) },
          ],
        },
      });
    }
    return out;
  },
};
