/**
 * One pass over the input that lets cross-object checks answer "which pods does this selector
 * match?" or "which policies select this pod?" without scanning everything: objects are
 * bucketed by namespace and kind, pods by each of their labels.
 */
import type { DockerfileModel } from './dockerfile-model.ts';
import { imageRepository } from './dockerfile-model.ts';
import {
  everything,
  isEverything,
  matchesLabels,
  nothing,
  parseLabelSelector,
  parseSetSelector,
  requiredLabels,
  SelectorError,
  type Selector,
} from '../../model/selector.ts';
import { get, isRecord, workloadOf, type Json, type Workload } from './pods.ts';
import type { LocatedObject } from './types.ts';

export interface NamespaceBucket {
  workloads: Workload[];
  /** `key=value` → workloads whose pod template carries that label. */
  byLabel: Map<string, Workload[]>;
  /** Objects of every other kind, by kind. */
  byKind: Map<string, LocatedObject[]>;
}

export interface AuditIndex {
  workloads: Workload[];
  namespaces: Map<string, LocatedObject>;
  buckets: Map<string, NamespaceBucket>;
  /** `Kind/namespace/name` → object. */
  byIdentity: Map<string, LocatedObject>;
  /** `namespace/serviceAccount` → RoleBindings and ClusterRoleBindings naming it. */
  bindingsBySubject: Map<string, LocatedObject[]>;
  dockerfilesByRepository: Map<string, DockerfileModel[]>;
}

export const defaultNamespace = 'default';

export function namespaceOf(object: LocatedObject): string {
  const ns = object.object.metadata.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : defaultNamespace;
}

export function identity(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function bucket(index: AuditIndex, namespace: string): NamespaceBucket {
  let found = index.buckets.get(namespace);
  if (!found) {
    found = { workloads: [], byLabel: new Map(), byKind: new Map() };
    index.buckets.set(namespace, found);
  }
  return found;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildIndex(
  objects: readonly LocatedObject[],
  dockerfiles: readonly DockerfileModel[],
): AuditIndex {
  const index: AuditIndex = {
    workloads: [],
    namespaces: new Map(),
    buckets: new Map(),
    byIdentity: new Map(),
    bindingsBySubject: new Map(),
    dockerfilesByRepository: new Map(),
  };
  for (const located of objects) {
    const { kind, metadata } = located.object;
    const namespace = namespaceOf(located);
    if (kind === 'Namespace') index.namespaces.set(metadata.name, located);
    index.byIdentity.set(
      identity(kind, kind === 'Namespace' ? '' : namespace, metadata.name),
      located,
    );
    const workload = workloadOf(located, namespace);
    const b = bucket(index, namespace);
    if (workload) {
      index.workloads.push(workload);
      b.workloads.push(workload);
      for (const [k, v] of Object.entries(workload.meta.labels))
        push(b.byLabel, `${k}=${v}`, workload);
    } else {
      push(b.byKind, kind, located);
    }
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      const subjects = (located.object as Json).subjects;
      if (!Array.isArray(subjects)) continue;
      for (const subject of subjects) {
        if (!isRecord(subject) || subject.kind !== 'ServiceAccount') continue;
        const ns = typeof subject.namespace === 'string' ? subject.namespace : namespace;
        push(index.bindingsBySubject, `${ns}/${String(subject.name)}`, located);
      }
    }
  }
  for (const dockerfile of dockerfiles) {
    for (const image of dockerfile.images) {
      push(index.dockerfilesByRepository, imageRepository(image), dockerfile);
    }
  }
  return index;
}

export function objectsOfKind(index: AuditIndex, namespace: string, kind: string): LocatedObject[] {
  return index.buckets.get(namespace)?.byKind.get(kind) ?? [];
}

export function allOfKind(index: AuditIndex, kind: string): LocatedObject[] {
  const out: LocatedObject[] = [];
  for (const b of index.buckets.values()) out.push(...(b.byKind.get(kind) ?? []));
  return out;
}

/**
 * A selector read with `parse` (a `metav1.LabelSelector` by default), or undefined when it is
 * malformed: the selector checks skip such objects, and schema validation reports them.
 */
export function selectorAt(
  value: unknown,
  parse: (value: unknown) => Selector = parseLabelSelector,
): Selector | undefined {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof SelectorError) return undefined;
    throw error;
  }
}

/**
 * A Service's `spec.selector`. Absent, empty (the API server stores `{}` as absent) and
 * malformed selectors select nothing: such a Service has no managed endpoints.
 */
export function serviceSelectorOf(service: LocatedObject): Selector {
  const selector = selectorAt(get(service.object, ['spec', 'selector']), parseSetSelector);
  return !selector || isEverything(selector) ? nothing : selector;
}

/**
 * A NetworkPolicy's `spec.podSelector`: absent or `{}` selects every pod of the namespace (the
 * field is a required struct, so absent reads as empty); undefined when malformed.
 */
export function podSelectorOf(policy: LocatedObject): Selector | undefined {
  const value = get(policy.object, ['spec', 'podSelector']);
  return value === undefined || value === null ? everything : selectorAt(value);
}

/** The workloads of `namespace` whose pods `selector` selects, using the label index. */
export function selectWorkloads(
  index: AuditIndex,
  namespace: string,
  selector: Selector,
): Workload[] {
  const b = index.buckets.get(namespace);
  if (!b || selector.matchesNothing) return [];
  let candidates = b.workloads;
  for (const [k, v] of requiredLabels(selector)) {
    const hit = b.byLabel.get(`${k}=${v}`) ?? [];
    if (hit.length < candidates.length) candidates = hit;
  }
  return candidates.filter((w) => matchesLabels(selector, w.meta.labels));
}
