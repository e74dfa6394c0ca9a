import { parseLabelSelector, SelectorError } from '../../model/selector.ts';
import { allOfKind } from '../engine/index-objects.ts';
import { get, isRecord } from '../engine/pods.ts';
import type { Check, LocatedObject, RawFinding } from '../engine/types.ts';
import type { PathSegment } from '../../yaml/stream.ts';
import { nameOf } from './shared/describe.ts';

/** Workload kinds whose `spec.selector` is a `metav1.LabelSelector` (PDBs too). */
const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Every `metav1.LabelSelector` field of a NetworkPolicy: podSelector and the peers' selectors. */
function policySelectors(policy: LocatedObject): PathSegment[][] {
  const paths: PathSegment[][] = [['spec', 'podSelector']];
  for (const [direction, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = get(policy.object, ['spec', direction]);
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule: unknown, i) => {
      const list = isRecord(rule) ? rule[peers] : undefined;
      if (!Array.isArray(list)) return;
      list.forEach((_peer: unknown, j) => {
        for (const field of ['podSelector', 'namespaceSelector'])
          paths.push(['spec', direction, i, peers, j, field]);
      });
    });
  }
  return paths;
}

/** `matchExpressions[0].values` → `['matchExpressions', 0, 'values']`. */
function segmentsOf(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const part of path.split('.'))
    for (const m of part.matchAll(/([^[\]]+)|\[(\d+)\]/g))
      out.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''));
  return out;
}

/**
 * Rules of a selector the structural schema cannot express (schema-validation already reports
 * wrong types): the operator is one of four, In/NotIn need values, Exists/DoesNotExist take none.
 */
function isRuleError(error: SelectorError): boolean {
  return error.path.endsWith('.operator') || /must (not )?be empty for/.test(error.message);
}

export const invalidSelector: Check = {
  id: 'invalid-selector',
  severity: 'error',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: 'Label selectors use a known operator with the values it needs.',
  remediation: 'Use In or NotIn with at least one value, or Exists or DoesNotExist without values.',
  docs: `The API server rejects a label selector whose \`matchExpressions\` use an operator other than
In, NotIn, Exists or DoesNotExist (they are case-sensitive: \`in\` is an error), In or NotIn without
values, or Exists or DoesNotExist with values; the schema cannot say so, because the operator is a
plain string in the OpenAPI. Read are the \`spec.selector\` of Deployments, StatefulSets,
DaemonSets, ReplicaSets, Jobs and PodDisruptionBudgets, and a NetworkPolicy's \`podSelector\`
and the \`podSelector\`/\`namespaceSelector\` of its ingress and egress peers. The other checks
never read a malformed selector as "select everything": a Service, NetworkPolicy or
PodDisruptionBudget with one selects no pod, so it neither covers nor protects anything. Not
fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    const report = (target: LocatedObject, at: PathSegment[]): void => {
      const value = get(target.object, at);
      if (value === undefined || value === null) return;
      try {
        parseLabelSelector(value);
      } catch (error) {
        if (!(error instanceof SelectorError)) throw error;
        if (!isRuleError(error)) return;
        out.push({
          target,
          path: [...at, ...segmentsOf(error.path)],
          message: `${nameOf(target)}: ${at.join('.')}.${error.path} ${error.message.slice(error.path.length + 2)}`,
        });
      }
    };
    for (const w of index.workloads)
      if (workloadKinds.has(w.target.object.kind)) report(w.target, ['spec', 'selector']);
    for (const pdb of allOfKind(index, 'PodDisruptionBudget')) report(pdb, ['spec', 'selector']);
    for (const policy of allOfKind(index, 'NetworkPolicy'))
      for (const at of policySelectors(policy)) report(policy, at);
    return out;
  },
};
