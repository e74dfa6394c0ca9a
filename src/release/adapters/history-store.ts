/** Revisions on the cluster: Secrets in the release namespace (ADR 0066). */
import type { CallOptions, KubeApi } from '../../kube/api.ts';
import { BerthError, ErrorCode } from '../../errors.ts';
import type { ObjectRef } from '../../model/object.ts';
import { revisionSecretName, type ReleaseRef } from '../identity.ts';
import {
  decodeRevision,
  encodeRevision,
  readRevisionInfo,
  RevisionLabel,
  revisionSelector,
  type RevisionInfo,
  type RevisionRecord,
  type RevisionStatus,
} from '../revision.ts';
import { gzipCodec } from './codec.ts';
import { manager } from './port.ts';

function secretRef(release: ReleaseRef, n: number): ObjectRef {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: release.namespace,
    name: revisionSecretName(release.name, n),
  };
}

/** Every revision's table row, oldest first. */
export async function listRevisions(
  api: KubeApi,
  release: ReleaseRef,
  options: CallOptions = {},
): Promise<RevisionInfo[]> {
  const { items } = await api.list(
    { apiVersion: 'v1', kind: 'Secret', namespace: release.namespace },
    { ...options, labelSelector: revisionSelector(release.name) },
  );
  return items.map(readRevisionInfo).sort((a, b) => a.revision - b.revision);
}

/** One revision with its objects. */
export async function readRevision(
  api: KubeApi,
  release: ReleaseRef,
  n: number,
  options: CallOptions = {},
): Promise<RevisionRecord> {
  const secret = await api.get(secretRef(release, n), options);
  if (!secret)
    throw new BerthError(
      ErrorCode.usage,
      `release ${release.name} has no revision ${n} in namespace ${release.namespace}`,
    );
  return decodeRevision(secret, gzipCodec);
}

export async function writeRevision(
  api: KubeApi,
  release: ReleaseRef,
  record: RevisionRecord,
  options: CallOptions = {},
): Promise<void> {
  await api.apply(encodeRevision(release, record, gzipCodec), {
    ...options,
    fieldManager: manager,
    force: true,
  });
}

export async function setRevisionStatus(
  api: KubeApi,
  release: ReleaseRef,
  n: number,
  status: RevisionStatus,
  options: CallOptions = {},
): Promise<void> {
  await api.patch(
    secretRef(release, n),
    { metadata: { labels: { [RevisionLabel.status]: status } } },
    { ...options, fieldManager: manager, type: 'merge' },
  );
}

export async function deleteRevision(
  api: KubeApi,
  release: ReleaseRef,
  n: number,
  options: CallOptions = {},
): Promise<void> {
  await api.delete(secretRef(release, n), options);
}
