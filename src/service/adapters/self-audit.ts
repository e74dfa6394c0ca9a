/**
 * Asks the API server what this identity may do (SelfSubjectRulesReview per namespace the service
 * may act in) and judges it with `findExcess` against the rules berth's generated role grants
 * (`neededRules`, ADR 0141). With `allNamespaces` (the watchdog watches every namespace) it lists
 * the namespaces and reviews each, so a RoleBinding anywhere shows; when listing is not allowed
 * it says so in `notes`. A review that cannot be made is a refusal to start.
 */
import type { KubeApi } from '../../kube/api.ts';
import { autoscalerRulesOf, serviceIdentity } from '../../render/service-rbac.ts';
import type { Workspace } from '../../spec/workspace.ts';
import type { WatchdogConfig } from '../../watchdog/config.ts';
import type { ServiceOptions } from '../service.ts';
import {
  findExcess,
  neededIn,
  neededRules,
  rulesOfReview,
  type Excess,
  type NeededRules,
} from '../self-audit.ts';

export interface SelfAuditResult {
  excess: Excess[];
  /** Namespaces whose review the server marked incomplete (webhook authorizers). */
  incomplete: string[];
  /** The namespaces reviewed. */
  reviewed: string[];
  /** What the audit could not see (namespaces not listable). */
  notes: string[];
}

export async function auditOwnPower(
  api: KubeApi,
  namespaces: readonly string[],
  o: { timeoutMs?: number; needed?: NeededRules; allNamespaces?: boolean } = {},
): Promise<SelfAuditResult> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const notes: string[] = [];
  const all = new Set(namespaces);
  if (o.allNamespaces) {
    try {
      const { items } = await api.list(
        { apiVersion: 'v1', kind: 'Namespace' },
        { deadline: Date.now() + timeoutMs },
      );
      for (const n of items) all.add(n.metadata.name);
    } catch (error) {
      notes.push(
        `cannot list namespaces (${(error as Error).message}): reviewed only ` +
          `${[...all].join(', ')}; a RoleBinding in another namespace is not seen`,
      );
    }
  }
  const byKey = new Map<string, { excess: Excess; where: string[] }>();
  const incomplete: string[] = [];
  for (const namespace of [...all].sort()) {
    const review = await api.create(
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectRulesReview',
        spec: { namespace },
      },
      { fieldManager: 'berth-service', deadline: Date.now() + timeoutMs },
    );
    const r = rulesOfReview(review);
    if (r.incomplete) incomplete.push(namespace);
    const needed = o.needed ? neededIn(o.needed, namespace) : undefined;
    for (const e of findExcess(r.rules, needed)) {
      const key = `${e.id} ${e.rule}`;
      const seen = byKey.get(key);
      if (seen) seen.where.push(namespace);
      else byKey.set(key, { excess: e, where: [namespace] });
    }
  }
  const excess = [...byKey.values()].map(({ excess: e, where }) => ({
    ...e,
    message: `${e.message} (in ${where.length > 3 ? `${where.length} namespaces` : where.join(', ')})`,
  }));
  return { excess, incomplete, reviewed: [...all].sort(), notes };
}

/**
 * What `berth serve`'s self-audit reviews and against what (ADR 0141): the rules the render
 * generates for this watchdog configuration and these pools (every allowed action, even under
 * --dry-run), in the Lease's namespace, the included ones and the pools' ones, and every
 * namespace when the watchdog watches all of them.
 */
export function selfAuditScope(o: {
  namespace: string;
  config: WatchdogConfig;
  ws?: Workspace;
}): Pick<ServiceOptions, 'auditNamespaces' | 'auditNeeded' | 'auditAllNamespaces'> {
  const autoscaler = o.ws ? autoscalerRulesOf(o.ws) : new Map<string, Record<string, unknown>[]>();
  const include = o.config.policy.include;
  const objects = serviceIdentity({
    name: 'berth',
    namespace: o.namespace,
    watchdog: {
      detectors: o.config.detectors,
      actions: [...new Set(o.config.policy.actions.map((a) => a.action))],
      include,
    },
    autoscaler,
  });
  return {
    auditNamespaces: [...new Set([o.namespace, ...include, ...autoscaler.keys()])],
    auditNeeded: neededRules(objects, { name: 'berth', namespace: o.namespace }),
    auditAllNamespaces: include.length === 0,
  };
}
