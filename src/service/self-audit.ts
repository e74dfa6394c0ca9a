/**
 * The service's audit of its own power, pure: the rules a SelfSubjectRulesReview returned →
 * every excess over what berth needs (ADR 0102). `*` verbs or resources, writing Secrets, writing
 * RBAC (or escalate/bind/impersonate), and cluster-scoped writes are excesses; the service
 * refuses to start with any unless told `--allow-excess-power`, and then reports each at start.
 */

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface Excess {
  /** Stable id: `wildcard-verb`, `wildcard-resource`, `secrets-write`, `rbac-write`, `cluster-scoped-write`. */
  id: string;
  /** The rule, as `verbs on group/resources`. */
  rule: string;
  message: string;
}

const writeVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', '*']);
const rbacEscalation = new Set(['escalate', 'bind', 'impersonate']);
/** Cluster-scoped kinds berth never writes (its writes are namespaced workloads and its Lease). */
const clusterScoped = new Set([
  'namespaces',
  'nodes',
  'persistentvolumes',
  'clusterroles',
  'clusterrolebindings',
  'customresourcedefinitions',
  'storageclasses',
  'priorityclasses',
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
  'apiservices',
  'certificatesigningrequests',
  'runtimeclasses',
]);

function describe(r: ResourceRule): string {
  const groups = (r.apiGroups ?? ['']).map((g) => (g === '' ? 'core' : g)).join(',');
  return `${r.verbs.join(',')} on ${groups}/${(r.resources ?? []).join(',')}`;
}

/** Rules of the namespace review (namespaced) and of the cluster view (`clusterRules`). */
export function findExcess(rules: readonly ResourceRule[]): Excess[] {
  const out: Excess[] = [];
  const seen = new Set<string>();
  const add = (id: string, r: ResourceRule, message: string): void => {
    const rule = describe(r);
    if (seen.has(`${id} ${rule}`)) return;
    seen.add(`${id} ${rule}`);
    out.push({ id, rule, message });
  };
  for (const r of rules) {
    const resources = r.resources ?? [];
    const groups = r.apiGroups ?? [''];
    if (resources.length === 0) continue; // non-resource URLs: nothing to write
    const writes = r.verbs.some((v) => writeVerbs.has(v));
    if (r.verbs.includes('*')) add('wildcard-verb', r, 'may use every verb');
    if (resources.includes('*') && (writes || r.verbs.includes('*')))
      add('wildcard-resource', r, 'may write every resource');
    const coreOrAny = groups.includes('') || groups.includes('*');
    if (writes && coreOrAny && (resources.includes('secrets') || resources.includes('*')))
      add('secrets-write', r, 'may write Secrets');
    const rbac = groups.includes('rbac.authorization.k8s.io') || groups.includes('*');
    if (rbac && (writes || r.verbs.some((v) => rbacEscalation.has(v))))
      add('rbac-write', r, 'may write RBAC (or escalate, bind, impersonate)');
    if (r.verbs.includes('impersonate')) add('rbac-write', r, 'may impersonate');
    if (writes && resources.some((x) => x === '*' || clusterScoped.has(x.split('/')[0] ?? '')))
      add('cluster-scoped-write', r, 'may write cluster-scoped objects');
  }
  return out;
}

/** Rules from a SelfSubjectRulesReview's status. */
export function rulesOfReview(review: unknown): { rules: ResourceRule[]; incomplete: boolean } {
  const status = (review as { status?: { resourceRules?: unknown; incomplete?: unknown } }).status;
  const raw = Array.isArray(status?.resourceRules) ? (status.resourceRules as unknown[]) : [];
  const rules = raw.flatMap((r) => {
    const x = r as Partial<ResourceRule>;
    return Array.isArray(x.verbs) ? [{ ...x, verbs: x.verbs }] : [];
  });
  return { rules, incomplete: status?.incomplete === true };
}
