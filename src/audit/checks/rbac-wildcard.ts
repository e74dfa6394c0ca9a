import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { rulesOf } from './shared/rbac-rules.ts';

export const rbacWildcard: Check = {
  id: 'rbac-wildcard',
  severity: 'error',
  category: 'rbac',
  inputs: 'manifests',
  fixable: false,
  summary: 'Role and ClusterRole rules name their API groups, resources and verbs (no "*").',
  remediation: 'Replace "*" with the explicit API groups, resources and verbs the component uses.',
  docs: `A wildcard grants today's and tomorrow's resources (including CRDs installed later) and verbs such
as escalate and impersonate. Seed 003's platform engineer is the case to get right: list what it
calls. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const r of rulesOf(index)) {
      const fields = (['apiGroups', 'resources', 'verbs'] as const).filter((k) =>
        r[k].includes('*'),
      );
      if (fields.length === 0) continue;
      out.push({
        target: r.role,
        path: ['rules', r.index],
        message: `${nameOf(r.role)} rule ${r.index} uses "*" in ${fields.join(', ')}`,
      });
    }
    return out;
  },
};
