import { allOfKind } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const ingressTls: Check = {
  id: 'ingress-tls',
  severity: 'warning',
  category: 'network',
  inputs: 'manifests',
  fixable: false,
  summary: 'Ingresses terminate TLS (spec.tls lists their hosts).',
  remediation:
    'Add spec.tls with the hosts and a certificate Secret (cert-manager can issue it from an annotation).',
  docs: `An Ingress without \`tls\` serves plain HTTP: credentials, cookies and tokens cross the network in
clear (Kubescape C-0263, Checkov CKV_K8S_… for ingress TLS). Hosts of the rules not listed in any
\`tls\` entry are reported too. Not fixed automatically: the certificate's Secret and issuer are
yours to choose.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const ing of allOfKind(index, 'Ingress')) {
      const tls = get(ing.object, ['spec', 'tls']);
      const covered = new Set<string>();
      for (const entry of Array.isArray(tls) ? tls : []) {
        const hosts = get(entry, ['hosts']);
        for (const h of Array.isArray(hosts) ? hosts : [])
          if (typeof h === 'string') covered.add(h);
      }
      if (!Array.isArray(tls) || tls.length === 0) {
        out.push({
          target: ing,
          path: ['spec'],
          message: `${nameOf(ing)} has no tls: it serves plain HTTP`,
        });
        continue;
      }
      const rules = get(ing.object, ['spec', 'rules']);
      (Array.isArray(rules) ? rules : []).forEach((rule: unknown, i) => {
        const host = get(rule, ['host']);
        if (typeof host !== 'string' || covered.has(host)) return;
        if ([...covered].some((c) => c.startsWith('*.') && host.endsWith(c.slice(1)))) return;
        out.push({
          target: ing,
          path: ['spec', 'rules', i, 'host'],
          message: `${nameOf(ing)} serves ${host} without TLS (not in spec.tls)`,
        });
      });
    }
    return out;
  },
};
