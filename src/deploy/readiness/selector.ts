import type { KubeObject } from '../../model/object.ts';
import { arrayAt, recordAt, stringAt } from './fields.ts';

/**
 * Whether a label selector (`matchLabels` and `matchExpressions`) matches a set of labels.
 * An absent selector matches nothing (a workload without one selects no pods).
 */
export function matchesSelector(
  selector: Record<string, unknown> | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  const matchLabels = recordAt(selector, 'matchLabels') ?? {};
  const expressions = arrayAt(selector, 'matchExpressions');
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false;
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  return expressions.every((e) => matchesExpression(e, labels));
}

function matchesExpression(expr: unknown, labels: Record<string, string>): boolean {
  const key = stringAt(expr, 'key') ?? '';
  const values = arrayAt(expr, 'values').filter((v): v is string => typeof v === 'string');
  const has = Object.hasOwn(labels, key);
  switch (stringAt(expr, 'operator')) {
    case 'In':
      return has && values.includes(labels[key] ?? '');
    case 'NotIn':
      return !has || !values.includes(labels[key] ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** The pods of `pods` in the workload's namespace that its `spec.selector` selects. */
export function selectPods(workload: KubeObject, pods: readonly KubeObject[]): KubeObject[] {
  const selector = recordAt(workload, 'spec.selector');
  const ns = workload.metadata.namespace;
  return pods.filter(
    (p) => p.metadata.namespace === ns && matchesSelector(selector, p.metadata.labels ?? {}),
  );
}
