import { isRecord } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { looksSecret } from './shared/secret-names.ts';
import { secretKindsIn } from './shared/secret-values.ts';

export const secretInConfigmap: Check = {
  id: 'secret-in-configmap',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary:
    'ConfigMaps hold no credentials: no credential-like keys (…_TOKEN, …_PASSWORD) and no values matching a secret format.',
  remediation:
    'Move the key to a Secret (or an ExternalSecret) and mount or reference it from there.',
  docs: `ConfigMaps are readable by anyone who can read configuration, and are not encrypted at rest.
Every value (including whole configuration files) is searched with the shared secret table
(docs/secrets.md); certificates and public keys are not secrets. The finding names the format and
the key, never the value. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const b of index.buckets.values()) {
      for (const cm of b.byKind.get('ConfigMap') ?? []) {
        const data = cm.object.data;
        if (!isRecord(data)) continue;
        for (const [key, value] of Object.entries(data)) {
          const kinds = secretKindsIn(value);
          if (kinds.length > 0)
            out.push({
              target: cm,
              path: ['data', key],
              message: `${nameOf(cm)} holds a ${kinds.join(' and ')} in ${key}`,
            });
          else if (looksSecret(key, value))
            out.push({
              target: cm,
              path: ['data', key],
              message: `${nameOf(cm)} holds ${key}, which looks like a credential`,
            });
        }
      }
    }
    return out;
  },
};
