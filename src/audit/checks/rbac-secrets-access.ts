import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { rulesOf } from './shared/rbac-rules.ts';

const readVerbs = ['get', 'list', 'watch', '*'];

export const rbacSecretsAccess: Check = {
  id: 'rbac-secrets-access',
  severity: 'warning',
  category: 'rbac',
  inputs: 'manifests',
  fixable: false,
  summary: 'Roles do not grant reading Secrets (get, list, watch) without naming them.',
  remediation:
    'Restrict the rule with resourceNames, or read the secret through a mounted volume instead.',
  docs: `\`list\` and \`watch\` on secrets return every value in the namespace (or cluster, for a
ClusterRole). A rule limited by \`resourceNames\` is accepted for \`get\`. Not fixed
automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const r of rulesOf(index)) {
      if (!(r.resources.includes('secrets') || r.resources.includes('*'))) continue;
      if (!(r.apiGroups.includes('') || r.apiGroups.includes('*'))) continue;
      const verbs = r.verbs.filter((v) => readVerbs.includes(v));
      const named = r.resourceNames.length > 0;
      if (verbs.length === 0 || (named && !verbs.some((v) => v !== 'get'))) continue;
      out.push({
        target: r.role,
        path: ['rules', r.index],
        message: `${nameOf(r.role)} grants ${verbs.join(', ')} on secrets`,
      });
    }
    return out;
  },
};
