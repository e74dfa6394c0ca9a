/**
 * The service's audit of its own power, pure: the rules a SelfSubjectRulesReview returned →
 * every excess over what berth needs (ADR 0102, ADR 0141). Given the rules berth needs (from the
 * same generators the render uses: `neededRules`), every reviewed verb on a resource they do not
 * cover is an excess, named by its class (`*` verbs or resources, Secrets, RBAC, cluster-scoped
 * writes, exec/attach, token requests, node proxy) or `not-needed`. Without them, the named
 * classes alone. The service refuses to start with any unless told `--allow-excess-power`, and
 * then reports each at start.
 */
import type { KubeObject } from '../model/object.ts';

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface Excess {
  /**
   * Stable id: `wildcard-verb`, `wildcard-resource`, `secrets-write`, `secrets-read`,
   * `rbac-write`, `cluster-scoped-write`, `pod-exec`, `token-create`, `node-proxy`, `not-needed`.
   */
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
  'ingressclasses',
  'volumeattachments',
  'csidrivers',
  'csinodes',
  'flowschemas',
  'prioritylevelconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
]);

function describe(r: ResourceRule): string {
  const groups = (r.apiGroups ?? ['']).map((g) => (g === '' ? 'core' : g)).join(',');
  return `${r.verbs.join(',')} on ${groups}/${(r.resources ?? []).join(',')}`;
}

const readVerbs = new Set(['get', 'list', 'watch']);
/** Subresources that run code in a pod or reach into nodes. */
const execLike = new Set([
  'pods/exec',
  'pods/attach',
  'pods/portforward',
  'pods/ephemeralcontainers',
]);

/** One verb on one resource of one group (and the names it is limited to, if any). */
interface Atom {
  verb: string;
  group: string;
  resource: string;
  names: readonly string[];
}

function atoms(r: ResourceRule): Atom[] {
  const out: Atom[] = [];
  for (const verb of r.verbs)
    for (const group of r.apiGroups ?? [''])
      for (const resource of r.resources ?? [])
        out.push({ verb, group, resource, names: r.resourceNames ?? [] });
  return out;
}

function covers(need: ResourceRule, a: Atom): boolean {
  const has = (list: readonly string[] | undefined, x: string) =>
    (list ?? []).includes(x) || (list ?? []).includes('*');
  if (!has(need.verbs, a.verb) || !has(need.apiGroups ?? [''], a.group)) return false;
  if (!has(need.resources, a.resource)) return false;
  const names = need.resourceNames ?? [];
  return names.length === 0 || (a.names.length > 0 && a.names.every((n) => names.includes(n)));
}

/** The named classes of a reviewed verb on a resource (none: an unnamed one). */
function classesOf(a: Atom): { id: string; message: string }[] {
  const out: { id: string; message: string }[] = [];
  const write = writeVerbs.has(a.verb);
  const base = a.resource.split('/')[0] ?? '';
  const any = a.resource === '*';
  const core = a.group === '' || a.group === '*';
  if (a.verb === '*') out.push({ id: 'wildcard-verb', message: 'may use every verb' });
  if (any && write) out.push({ id: 'wildcard-resource', message: 'may write every resource' });
  if (core && (base === 'secrets' || any) && write)
    out.push({ id: 'secrets-write', message: 'may write Secrets' });
  const rbac = a.group === 'rbac.authorization.k8s.io' || a.group === '*';
  if ((rbac && (write || rbacEscalation.has(a.verb))) || a.verb === 'impersonate')
    out.push({ id: 'rbac-write', message: 'may write RBAC (or escalate, bind, impersonate)' });
  if (write && (clusterScoped.has(base) || any))
    out.push({ id: 'cluster-scoped-write', message: 'may write cluster-scoped objects' });
  return [...out, ...reachOf(a)];
}

/** Classes that reach past the API: exec, tokens, nodes, Secret values. */
function reachOf(a: Atom): { id: string; message: string }[] {
  const out: { id: string; message: string }[] = [];
  const write = writeVerbs.has(a.verb);
  const base = a.resource.split('/')[0] ?? '';
  const any = a.resource === '*';
  const core = a.group === '' || a.group === '*';
  if (core && (execLike.has(a.resource) || any) && (write || a.verb === 'get'))
    out.push({ id: 'pod-exec', message: 'may run commands in pods (exec, attach, port-forward)' });
  if (core && (a.resource === 'serviceaccounts/token' || any) && write)
    out.push({
      id: 'token-create',
      message: "may mint ServiceAccount tokens (another identity's)",
    });
  if (core && ((base === 'nodes' && a.resource !== 'nodes') || any))
    out.push({ id: 'node-proxy', message: 'may reach nodes (proxy, the kubelet API)' });
  if (core && (base === 'secrets' || any) && (readVerbs.has(a.verb) || a.verb === '*'))
    out.push({ id: 'secrets-read', message: 'may read Secrets' });
  return out;
}

/**
 * Every excess in the reviewed `rules`. With `needed` (the rules berth's generated role grants in
 * that namespace, plus what every identity may do): each reviewed verb on a resource they do not
 * cover, by class or `not-needed`. Without: the named classes only.
 */
export function findExcess(
  rules: readonly ResourceRule[],
  needed?: readonly ResourceRule[],
): Excess[] {
  const out: Excess[] = [];
  const seen = new Set<string>();
  const add = (id: string, r: ResourceRule, message: string): void => {
    const rule = describe(r);
    if (seen.has(`${id} ${rule}`)) return;
    seen.add(`${id} ${rule}`);
    out.push({ id, rule, message });
  };
  for (const r of rules) {
    if ((r.resources ?? []).length === 0) continue; // non-resource URLs: nothing to write
    for (const a of atoms(r)) {
      if (needed && needed.some((n) => covers(n, a))) continue;
      const classes = classesOf(a);
      for (const c of classes) add(c.id, r, c.message);
      if (classes.length === 0 && needed)
        add('not-needed', r, `${a.verb} ${a.resource} is not in berth's generated role`);
    }
  }
  return out;
}

/** What every authenticated identity may do (system:basic-user, system:discovery). */
export const everyoneMay: readonly ResourceRule[] = [
  {
    verbs: ['create'],
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
  },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];

/** The rules berth needs: granted cluster-wide, and per namespace (RoleBindings). */
export interface NeededRules {
  cluster: ResourceRule[];
  byNamespace: Map<string, ResourceRule[]>;
}

/**
 * The rules the generated RBAC objects grant the subject (src/render/service-rbac.ts): the
 * ClusterRoles bound by ClusterRoleBindings everywhere, the Roles and ClusterRoles bound by
 * RoleBindings in their namespace.
 */
export function neededRules(
  objects: readonly KubeObject[],
  subject: { name: string; namespace: string },
): NeededRules {
  const roles = new Map<string, ResourceRule[]>();
  for (const o of objects)
    if (o.kind === 'Role' || o.kind === 'ClusterRole')
      roles.set(
        `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
        ((o as { rules?: ResourceRule[] }).rules ?? []).map((r) => ({ ...r })),
      );
  const out: NeededRules = { cluster: [...everyoneMay], byNamespace: new Map() };
  for (const o of objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    const b = o as KubeObject & {
      roleRef: { kind: string; name: string };
      subjects?: { kind: string; name: string; namespace?: string }[];
    };
    const bound = (b.subjects ?? []).some(
      (s) =>
        s.kind === 'ServiceAccount' && s.name === subject.name && s.namespace === subject.namespace,
    );
    if (!bound) continue;
    const ns = b.roleRef.kind === 'Role' ? (o.metadata.namespace ?? '') : '';
    const rules = roles.get(`${b.roleRef.kind}/${ns}/${b.roleRef.name}`) ?? [];
    if (o.kind === 'ClusterRoleBinding') out.cluster.push(...rules);
    else {
      const at = o.metadata.namespace ?? '';
      out.byNamespace.set(at, [...(out.byNamespace.get(at) ?? []), ...rules]);
    }
  }
  return out;
}

/** The rules needed in `namespace`: the cluster-wide ones and that namespace's. */
export function neededIn(needed: NeededRules, namespace: string): ResourceRule[] {
  return [...needed.cluster, ...(needed.byNamespace.get(namespace) ?? [])];
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
