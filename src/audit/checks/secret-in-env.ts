import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';
import { looksSecret } from './shared/secret-names.ts';
import { secretKindsIn } from './shared/secret-values.ts';

export const secretInEnv: Check = {
  id: 'secret-in-env',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary:
    'No environment variable holds a literal credential: by its name (…_TOKEN, …_PASSWORD) or by its value (keys, tokens, JWTs, high-entropy strings).',
  remediation:
    'Move the value to a Secret (or an ExternalSecret) and reference it with valueFrom.secretKeyRef or envFrom.',
  docs: `A literal credential in a manifest ends up in git, in \`kubectl describe\` and in every audit log.
Two rules: a credential-like name (…_TOKEN, …_PASSWORD, …_API_KEY; names ending in _URL, _FILE,
_PATH, _HOST, _PORT, _NAME, _ID are not credentials) with a literal value, and any value that
matches the shared secret table (docs/secrets.md: PEM private keys, AWS, GCP, Azure, OCI, GitHub,
GitLab, Slack, Discord and OpenAI formats, JWTs, passwords in URLs, high-entropy strings by
Shannon entropy) whatever the name. The finding names the format, never the value. Not fixed automatically: creating the Secret needs the value, which must not pass
through berth.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        const env = Array.isArray(c.container.env) ? c.container.env : [];
        env.forEach((e, i) => {
          if (typeof e?.name !== 'string') return;
          const kinds = secretKindsIn(e.value);
          if (kinds.length === 0 && !looksSecret(e.name, e.value)) return;
          const what = kinds.length > 0 ? `a literal ${kinds.join(' and ')}` : 'a literal value';
          out.push({
            target: w.target,
            path: [...c.path, 'env', i, 'value'],
            message: `${containerLabel(w, c)} sets ${e.name} to ${what}`,
          });
        });
      }
    }
    return out;
  },
};
