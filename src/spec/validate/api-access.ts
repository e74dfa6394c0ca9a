/** Least-privilege checks on apiAccess rules: no wildcards, no cluster-scoped or RBAC writes. */
import type { PathSegment } from '../../yaml/stream.ts';
import { clusterScoped, escalating } from '../api-presets.ts';
import type { ApiAccess } from '../schema/common.ts';
import type { Reporter } from './structural.ts';

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export function checkApiAccess(access: ApiAccess, path: PathSegment[], r: Reporter): void {
  if (access.presets.length === 0 && access.rules.length === 0)
    r.report(
      path,
      'apiAccess grants nothing',
      'list presets or rules, or remove apiAccess (then no token is mounted)',
    );
  access.rules.forEach((rule, i) => {
    const at: PathSegment[] = [...path, 'rules', i];
    if (rule.apiGroups.includes('*') || rule.resources.includes('*'))
      r.report(
        [...at, rule.resources.includes('*') ? 'resources' : 'apiGroups'],
        'wildcards are not allowed',
        'name each API group and resource the component needs',
      );
    const writes = rule.verbs.filter((v) => WRITES.has(v));
    if (writes.length === 0) return;
    for (const res of rule.resources) {
      const base = res.split('/')[0] ?? res;
      if (clusterScoped.has(base))
        r.report(
          [...at, 'resources'],
          `${writes.join('/')} on cluster-scoped "${res}" is not allowed`,
          'berth never grants cluster-scoped writes; keep read verbs only',
        );
      else if (escalating.has(res) || escalating.has(base))
        r.report(
          [...at, 'resources'],
          `${writes.join('/')} on "${res}" would allow privilege escalation`,
          'grant RBAC changes to humans, not to components',
        );
    }
  });
}
