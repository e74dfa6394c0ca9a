/**
 * Label selectors with apimachinery's semantics (`metav1.LabelSelectorAsSelector` and
 * `labels.SelectorFromSet`):
 * - a selector is the AND of its requirements: every `matchLabels` pair and every
 *   `matchExpressions` entry (In, NotIn, Exists, DoesNotExist);
 * - an empty selector (`{}`) has no requirements and matches everything;
 * - an absent (`null`/undefined) selector matches nothing;
 * - a malformed selector (a non-string label value, an unknown operator, In/NotIn without
 *   values, Exists/DoesNotExist with values) is a `SelectorError`, never "select everything".
 *
 * Callers decide what absent and empty mean for the field they read, as Kubernetes does per
 * field: a NetworkPolicy's `podSelector: {}` selects every pod of the namespace, a Service's
 * empty or absent `spec.selector` selects none (the API server stores `{}` as absent), and
 * apps/v1 workloads reject an empty selector (see `selectorOfWorkload`).
 */

export const SelectorOperator = {
  in: 'In',
  notIn: 'NotIn',
  exists: 'Exists',
  doesNotExist: 'DoesNotExist',
} as const;
export type SelectorOperator = (typeof SelectorOperator)[keyof typeof SelectorOperator];

export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: readonly string[];
}

/** A parsed selector: `requirements` all hold, or nothing matches when `matchesNothing`. */
export interface Selector {
  readonly matchesNothing: boolean;
  readonly requirements: readonly Requirement[];
}

export const everything: Selector = Object.freeze({ matchesNothing: false, requirements: [] });
export const nothing: Selector = Object.freeze({ matchesNothing: true, requirements: [] });

export class SelectorError extends Error {
  readonly code = 'invalid-selector';
  /** Dotted path of the offending field inside the selector, such as `matchExpressions[0].values`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'SelectorError';
    this.path = path;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const operators = new Set<string>(Object.values(SelectorOperator));

function requirementOf(value: unknown, path: string): Requirement {
  if (!isRecord(value)) throw new SelectorError(path, 'must be a map with key and operator');
  const { key, operator, values } = value;
  if (typeof key !== 'string' || key === '') throw new SelectorError(`${path}.key`, 'is required');
  if (typeof operator !== 'string' || !operators.has(operator))
    throw new SelectorError(
      `${path}.operator`,
      `"${String(operator)}" is not one of In, NotIn, Exists, DoesNotExist`,
    );
  if (values !== undefined && values !== null && !Array.isArray(values))
    throw new SelectorError(`${path}.values`, 'must be a list of strings');
  const list = (values ?? []) as unknown[];
  if (!list.every((v): v is string => typeof v === 'string'))
    throw new SelectorError(`${path}.values`, 'must be a list of strings');
  const op = operator as SelectorOperator;
  const needsValues = op === SelectorOperator.in || op === SelectorOperator.notIn;
  if (needsValues && list.length === 0)
    throw new SelectorError(`${path}.values`, `must not be empty for ${op}`);
  if (!needsValues && list.length > 0)
    throw new SelectorError(`${path}.values`, `must be empty for ${op}`);
  return { key, operator: op, values: list };
}

/**
 * Parses a `metav1.LabelSelector` (`matchLabels` and `matchExpressions`). Absent is `nothing`,
 * `{}` is `everything`; throws `SelectorError` when malformed.
 */
export function parseLabelSelector(value: unknown): Selector {
  if (value === undefined || value === null) return nothing;
  if (!isRecord(value)) throw new SelectorError('selector', 'must be a map');
  const requirements: Requirement[] = [];
  const { matchLabels, matchExpressions } = value;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) throw new SelectorError('matchLabels', 'must be a map');
    requirements.push(...setRequirements(matchLabels, 'matchLabels'));
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions))
      throw new SelectorError('matchExpressions', 'must be a list');
    matchExpressions.forEach((e: unknown, i) =>
      requirements.push(requirementOf(e, `matchExpressions[${i}]`)),
    );
  }
  return { matchesNothing: false, requirements };
}

/**
 * Parses a plain label map (a Service's `spec.selector`, `labels.SelectorFromSet`). Absent is
 * `nothing`, `{}` is `everything`; throws `SelectorError` on a non-string value.
 */
export function parseSetSelector(value: unknown): Selector {
  if (value === undefined || value === null) return nothing;
  if (!isRecord(value)) throw new SelectorError('selector', 'must be a map of label values');
  return { matchesNothing: false, requirements: setRequirements(value, 'selector') };
}

function setRequirements(map: Record<string, unknown>, path: string): Requirement[] {
  return Object.entries(map).map(([key, v]) => {
    if (typeof v !== 'string')
      throw new SelectorError(`${path}.${key}`, `label values are strings, got ${typeof v}`);
    return { key, operator: SelectorOperator.in, values: [v] };
  });
}

/** Whether the selector has no requirements (and so matches everything). */
export function isEverything(selector: Selector): boolean {
  return !selector.matchesNothing && selector.requirements.length === 0;
}

/** The `key=value` pairs every match must carry (the `matchLabels` part), for index lookups. */
export function requiredLabels(selector: Selector): [string, string][] {
  const out: [string, string][] = [];
  for (const r of selector.requirements) {
    const only = r.values[0];
    if (r.operator === SelectorOperator.in && r.values.length === 1 && only !== undefined)
      out.push([r.key, only]);
  }
  return out;
}

/** Whether the selector selects an object with these labels. */
export function matchesLabels(
  selector: Selector,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (selector.matchesNothing) return false;
  for (const r of selector.requirements) {
    const has = Object.hasOwn(labels, r.key);
    const value = labels[r.key];
    switch (r.operator) {
      case SelectorOperator.in:
        if (!has || value === undefined || !r.values.includes(value)) return false;
        break;
      case SelectorOperator.notIn:
        if (has && value !== undefined && r.values.includes(value)) return false;
        break;
      case SelectorOperator.exists:
        if (!has) return false;
        break;
      case SelectorOperator.doesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

/**
 * The selector of a workload's pods (`spec.selector` of a Deployment, StatefulSet, DaemonSet,
 * ReplicaSet or Job). apps/v1 rejects an empty selector, so `{}` here selects nothing rather
 * than every pod of the namespace. Throws `SelectorError` when malformed.
 */
export function selectorOfWorkload(workload: object): Selector {
  const spec = (workload as { spec?: unknown }).spec;
  const selector = parseLabelSelector(isRecord(spec) ? spec.selector : undefined);
  return isEverything(selector) ? nothing : selector;
}
