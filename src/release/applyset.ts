/**
 * kubectl's ApplySet convention (KEP-3659), so `kubectl get -l applyset.kubernetes.io/part-of=ID`
 * and `kubectl apply --prune --applyset` see the same set berth records (ADR 0065).
 *
 * The parent object carries the id label and the annotations; every member carries the part-of
 * label. Pure: the id is a hash of the parent's group, kind, name and namespace.
 */
import { createHash } from 'node:crypto';
import { groupKindString } from '../model/group-kind.ts';
import type { KubeObject } from '../model/object.ts';

export const ApplySetLabel = {
  /** On the parent: the set's id. */
  id: 'applyset.kubernetes.io/id',
  /** On every member: the id of the set it belongs to. */
  partOf: 'applyset.kubernetes.io/part-of',
} as const;

export const ApplySetAnnotation = {
  /** `<tool>/<version>`: which tool manages the set. */
  tooling: 'applyset.kubernetes.io/tooling',
  /** `Kind.group` of every member kind, sorted, comma-separated (core kinds have no group). */
  containsGroupKinds: 'applyset.kubernetes.io/contains-group-kinds',
  /** Namespaces other than the parent's that hold members, sorted, comma-separated. */
  additionalNamespaces: 'applyset.kubernetes.io/additional-namespaces',
} as const;

export interface ParentRef {
  group: string;
  kind: string;
  name: string;
  namespace: string;
}

/**
 * `applyset-<base64url(sha256("<name>.<namespace>.<kind>.<group>"))>-v1`, exactly as kubectl
 * computes it (staging/src/k8s.io/kubectl/pkg/cmd/apply/applyset.go, `ApplySet.ID`).
 */
export function applySetId(parent: ParentRef): string {
  const unencoded = [parent.name, parent.namespace, parent.kind, parent.group].join('.');
  const hashed = createHash('sha256').update(unencoded).digest('base64url');
  return `applyset-${hashed}-v1`;
}

/** The members with the part-of label added (copies; the input is not changed). */
export function labelMembers(objects: readonly KubeObject[], id: string): KubeObject[] {
  return objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, labels: { ...o.metadata.labels, [ApplySetLabel.partOf]: id } },
  }));
}

export interface ParentState {
  groupKinds: string[];
  namespaces: string[];
}

/** The labels and annotations of the parent for members of `groupKinds` in `namespaces`. */
export function parentMetadata(
  parent: ParentRef,
  state: ParentState,
  tooling: string,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const others = state.namespaces.filter((n) => n !== '' && n !== parent.namespace);
  return {
    labels: { [ApplySetLabel.id]: applySetId(parent) },
    annotations: {
      [ApplySetAnnotation.tooling]: tooling,
      [ApplySetAnnotation.containsGroupKinds]: sortedUnique(state.groupKinds).join(','),
      [ApplySetAnnotation.additionalNamespaces]: sortedUnique(others).join(','),
    },
  };
}

/** What a parent's annotations say the set spans (empty when absent). */
export function readParentState(
  annotations: Readonly<Record<string, string>> | undefined,
  parentNamespace: string,
): ParentState {
  const split = (v: string | undefined) => (v ? v.split(',').filter((s) => s !== '') : []);
  return {
    groupKinds: split(annotations?.[ApplySetAnnotation.containsGroupKinds]),
    namespaces: sortedUnique([
      parentNamespace,
      ...split(annotations?.[ApplySetAnnotation.additionalNamespaces]),
    ]),
  };
}

/** The kinds and namespaces `objects` span. Cluster-scoped objects add no namespace. */
export function stateOf(objects: readonly KubeObject[]): ParentState {
  return {
    groupKinds: sortedUnique(objects.map(groupKindString)),
    namespaces: sortedUnique(objects.flatMap((o) => o.metadata.namespace ?? [])),
  };
}

/** The union of two states: what the parent must say before an apply (so a crash loses nothing). */
export function unionState(a: ParentState, b: ParentState): ParentState {
  return {
    groupKinds: sortedUnique([...a.groupKinds, ...b.groupKinds]),
    namespaces: sortedUnique([...a.namespaces, ...b.namespaces]),
  };
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
