/**
 * The ApplySet parent and its members on the cluster: read the parent, widen it before an apply
 * (so a crash never loses track of a member), find the live members by label, narrow it after.
 */
import type { CallOptions, KubeApi } from '../../kube/api.ts';
import { NotFoundError } from '../../kube/errors.ts';
import { mapLimit } from '../../deploy/apply.ts';
import { groupKindString, groupOf, parseGroupKind } from '../../model/group-kind.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import {
  ApplySetLabel,
  applySetId,
  parentMetadata,
  readParentState,
  type ParentRef,
  type ParentState,
} from '../applyset.ts';
import { releaseObjectNames, type ReleaseRef } from '../identity.ts';
import { toRef } from '../inventory.ts';
import { manager } from './port.ts';

export const tooling = 'berth/v0.1.0';

/**
 * kubectl's annotations name group-kinds without versions; berth also records the API version
 * it used per group so it can list members of kinds that left the release.
 */
const versionsAnnotation = 'berth.dev/group-versions';

export function parentOf(release: ReleaseRef): ParentRef {
  return {
    group: '',
    kind: 'Secret',
    name: releaseObjectNames(release).parent,
    namespace: release.namespace,
  };
}

export function releaseSetId(release: ReleaseRef): string {
  return applySetId(parentOf(release));
}

function parentObjectRef(release: ReleaseRef): ObjectRef {
  const p = parentOf(release);
  return { apiVersion: 'v1', kind: 'Secret', namespace: p.namespace, name: p.name };
}

/** The set's extent with the API version of each group (`apps` → `apps/v1`). */
export interface SetExtent extends ParentState {
  versions: Record<string, string>;
}

export function extentOf(objects: readonly KubeObject[], base?: SetExtent): SetExtent {
  const versions: Record<string, string> = { ...base?.versions };
  for (const o of objects) versions[groupOf(o.apiVersion)] = o.apiVersion;
  const gks = new Set(base?.groupKinds);
  const nss = new Set(base?.namespaces);
  for (const o of objects) {
    gks.add(groupKindString(o));
    if (o.metadata.namespace) nss.add(o.metadata.namespace);
  }
  return { groupKinds: [...gks].sort(), namespaces: [...nss].sort(), versions };
}

/** What the parent says the set spans now (empty for a new release). */
export async function readParent(
  api: KubeApi,
  release: ReleaseRef,
  options: CallOptions = {},
): Promise<SetExtent> {
  const live = await api.get(parentObjectRef(release), options);
  const annotations = live?.metadata.annotations;
  const state = readParentState(annotations, release.namespace);
  const versions: Record<string, string> = {};
  for (const gv of (annotations?.[versionsAnnotation] ?? '').split(',')) {
    if (gv) versions[groupOf(gv)] = gv;
  }
  return { ...state, versions };
}

/** Writes the parent Secret saying the set spans `extent`. */
export async function writeParent(
  api: KubeApi,
  release: ReleaseRef,
  extent: SetExtent,
  options: CallOptions = {},
): Promise<void> {
  const ref = parentObjectRef(release);
  const meta = parentMetadata(parentOf(release), extent, tooling);
  const parent: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'berth.dev/applyset',
    metadata: {
      name: ref.name,
      namespace: release.namespace,
      labels: {
        ...meta.labels,
        'app.kubernetes.io/managed-by': 'berth',
        'berth.dev/release': release.name,
      },
      annotations: {
        ...meta.annotations,
        [versionsAnnotation]: Object.values(extent.versions).sort().join(','),
      },
    },
  };
  await api.apply(parent, { ...options, fieldManager: manager, force: true });
}

/** The live objects labelled part of the set, over every kind and namespace of `extent`. */
export async function listMembers(
  api: KubeApi,
  release: ReleaseRef,
  extent: SetExtent,
  options: CallOptions = {},
): Promise<ObjectRef[]> {
  const labelSelector = `${ApplySetLabel.partOf}=${releaseSetId(release)}`;
  const queries: { apiVersion: string; kind: string; namespace?: string }[] = [];
  for (const gk of extent.groupKinds) {
    const { group, kind } = parseGroupKind(gk);
    const apiVersion = group === '' ? 'v1' : extent.versions[group];
    if (!apiVersion) continue;
    const info = await api.resource(apiVersion, kind, options);
    if (!info) continue; // the kind's CRD is gone: nothing of it can be live
    if (!info.namespaced) queries.push({ apiVersion, kind });
    else for (const namespace of extent.namespaces) queries.push({ apiVersion, kind, namespace });
  }
  const found = await mapLimit(queries, 8, async (q) => {
    try {
      return (await api.list(q, { ...options, labelSelector })).items;
    } catch (error) {
      if (error instanceof NotFoundError) return []; // the namespace is gone, and its members
      throw error;
    }
  });
  return found.flat().map(toRef);
}
