import { identity } from '../engine/index-objects.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf, set } from './shared/describe.ts';

export const automountServiceAccountToken: Check = {
  id: 'automount-service-account-token',
  severity: 'warning',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'Pods whose service account has no role binding do not mount an API token.',
  remediation:
    'Set automountServiceAccountToken: false on the pod unless it calls the Kubernetes API.',
  docs: `Every mounted token is a credential an intruder can use against the API server. The check is
context-aware: a pod whose service account is the subject of a RoleBinding or ClusterRoleBinding
in the input needs API access and passes; so does one whose ServiceAccount object sets
\`automountServiceAccountToken: false\`. The fix sets \`automountServiceAccountToken: false\` on the
pod spec.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      if (w.spec.automountServiceAccountToken === false) continue;
      const sa =
        typeof w.spec.serviceAccountName === 'string' ? w.spec.serviceAccountName : 'default';
      if ((index.bindingsBySubject.get(`${w.namespace}/${sa}`) ?? []).length > 0) continue;
      const account = index.byIdentity.get(identity('ServiceAccount', w.namespace, sa));
      if (
        w.spec.automountServiceAccountToken === undefined &&
        account?.object.automountServiceAccountToken === false
      )
        continue;
      out.push({
        target: w.target,
        path: [...w.specPath, 'automountServiceAccountToken'],
        message: `${nameOf(w.target)} mounts a token for service account "${sa}", which no role binding in the input grants anything`,
        fix: {
          kind: 'object',
          description: 'set automountServiceAccountToken: false',
          ops: [set([...w.specPath, 'automountServiceAccountToken'], false)],
        },
      });
    }
    return out;
  },
};
