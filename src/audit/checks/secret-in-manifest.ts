import { allOfKind } from '../engine/index-objects.ts';
import { isRecord } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const secretInManifest: Check = {
  id: 'secret-in-manifest',
  severity: 'warning',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary: 'Secrets are not committed with their data; they come from a secret store.',
  remediation:
    'Replace the Secret with an ExternalSecret (or SealedSecret) and keep the values in the secret store.',
  docs: `Seed 001 keeps \`SUPABASE_SERVICE_KEY\` and \`OPENAI_API_KEY\` in a Secret's \`stringData\` in the
manifest file: base64 is not encryption, and the file is in git. Service-account token Secrets
(filled by the cluster) are not reported. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const secret of allOfKind(index, 'Secret')) {
      if (secret.object.type === 'kubernetes.io/service-account-token') continue;
      const keys = ['data', 'stringData'].filter(
        (k) => isRecord(secret.object[k]) && Object.keys(secret.object[k] as object).length > 0,
      );
      if (keys.length === 0) continue;
      out.push({
        target: secret,
        path: [keys[0] ?? 'data'],
        message: `${nameOf(secret)} carries its values in the manifest (${keys.join(', ')})`,
      });
    }
    return out;
  },
};
