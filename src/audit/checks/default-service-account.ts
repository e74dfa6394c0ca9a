import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const defaultServiceAccount: Check = {
  id: 'default-service-account',
  severity: 'info',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary: 'Pods that mount an API token use their own service account, not "default".',
  remediation:
    'Create a ServiceAccount for the workload and set spec.serviceAccountName, or stop mounting the token.',
  docs: `Permissions granted to the namespace's \`default\` service account leak to every pod that does
not name another one. Only pods that mount a token are reported (with
\`automountServiceAccountToken: false\` the account is irrelevant). Not fixed automatically: a new
ServiceAccount and its bindings are a design decision.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      if (w.spec.automountServiceAccountToken === false) continue;
      const sa = w.spec.serviceAccountName;
      if (typeof sa === 'string' && sa !== '' && sa !== 'default') continue;
      out.push({
        target: w.target,
        path: [...w.specPath, 'serviceAccountName'],
        message: `${nameOf(w.target)} runs as the namespace's default service account with its token mounted`,
      });
    }
    return out;
  },
};
