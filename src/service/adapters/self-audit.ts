/**
 * Asks the API server what this identity may do (SelfSubjectRulesReview per namespace berth works
 * in) and judges it with `findExcess`. A review that cannot be made is a refusal to start.
 */
import type { KubeApi } from '../../kube/api.ts';
import { findExcess, rulesOfReview, type Excess, type ResourceRule } from '../self-audit.ts';

export interface SelfAuditResult {
  excess: Excess[];
  /** Namespaces whose review the server marked incomplete (webhook authorizers). */
  incomplete: string[];
}

export async function auditOwnPower(
  api: KubeApi,
  namespaces: readonly string[],
  o: { timeoutMs?: number } = {},
): Promise<SelfAuditResult> {
  const rules: ResourceRule[] = [];
  const incomplete: string[] = [];
  for (const namespace of namespaces) {
    const review = await api.create(
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectRulesReview',
        spec: { namespace },
      },
      { fieldManager: 'berth-service', deadline: Date.now() + (o.timeoutMs ?? 10_000) },
    );
    const r = rulesOfReview(review);
    rules.push(...r.rules);
    if (r.incomplete) incomplete.push(namespace);
  }
  return { excess: findExcess(rules), incomplete };
}
