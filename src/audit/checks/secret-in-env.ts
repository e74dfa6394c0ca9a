import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';
import { looksSecret } from './shared/secret-names.ts';

export const secretInEnv: Check = {
  id: 'secret-in-env',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary:
    'No credential-like environment variable (…_TOKEN, …_PASSWORD, …_API_KEY) has a literal value.',
  remediation:
    'Move the value to a Secret (or an ExternalSecret) and reference it with valueFrom.secretKeyRef or envFrom.',
  docs: `A literal credential in a manifest ends up in git, in \`kubectl describe\` and in every audit log.
Names ending in _URL, _FILE, _PATH, _HOST, _PORT, _NAME, _ID are not credentials. The value is
never printed. Not fixed automatically: creating the Secret needs the value, which must not pass
through berth.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        const env = Array.isArray(c.container.env) ? c.container.env : [];
        env.forEach((e, i) => {
          if (typeof e?.name !== 'string' || !looksSecret(e.name, e.value)) return;
          out.push({
            target: w.target,
            path: [...c.path, 'env', i, 'value'],
            message: `${containerLabel(w, c)} sets ${e.name} to a literal value`,
          });
        });
      }
    }
    return out;
  },
};
