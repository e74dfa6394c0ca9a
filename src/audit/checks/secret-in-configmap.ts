import { isRecord } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { looksSecret } from './shared/secret-names.ts';

export const secretInConfigmap: Check = {
  id: 'secret-in-configmap',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary: 'ConfigMaps hold no credential-like keys (…_TOKEN, …_PASSWORD, …_API_KEY).',
  remediation:
    'Move the key to a Secret (or an ExternalSecret) and mount or reference it from there.',
  docs: `ConfigMaps are readable by anyone who can read configuration, and are not encrypted at rest. The
value is never printed. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const b of index.buckets.values()) {
      for (const cm of b.byKind.get('ConfigMap') ?? []) {
        const data = cm.object.data;
        if (!isRecord(data)) continue;
        for (const [key, value] of Object.entries(data)) {
          if (looksSecret(key, value))
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
