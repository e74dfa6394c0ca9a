/**
 * A revision of a release, stored as a Secret in the release namespace the way Helm stores its
 * own (ADR 0066): the object set gzip'd JSON in `data.release`, everything a history table shows
 * in labels and annotations, so listing needs no decompression.
 */
import { BerthError, ErrorCode } from '../errors.ts';
import type { KubeObject } from '../model/object.ts';
import { revisionSecretName, type ReleaseRef } from './identity.ts';

export const RevisionStatus = {
  /** The release's current revision: applied (and ready when waited for). */
  deployed: 'deployed',
  /** The apply or its wait failed. */
  failed: 'failed',
  /** Was deployed; a later revision replaced it. */
  superseded: 'superseded',
  /** Was current; a rollback undid it. */
  rolledBack: 'rolled-back',
} as const;
export type RevisionStatus = (typeof RevisionStatus)[keyof typeof RevisionStatus];

/** What a history table shows: stored in the Secret's labels and annotations. */
export interface RevisionInfo {
  release: string;
  revision: number;
  status: RevisionStatus;
  /** ISO time the revision was recorded. */
  time: string;
  /** `apply`, `rollback to 2`, `upgrade api: image ...`, `apply --atomic (rolled back)`. */
  description: string;
  /** `sha256:...` of the object set. */
  specDigest: string;
  images: string[];
  berthVersion: string;
  /** Who recorded it: `user@host`. */
  by: string;
  /** The revision a rollback restored. */
  restoredFrom?: number;
  objectCount: number;
}

export interface RevisionRecord extends RevisionInfo {
  objects: KubeObject[];
}

export const RevisionLabel = {
  owner: 'owner',
  release: 'berth.dev/release',
  revision: 'berth.dev/revision',
  status: 'berth.dev/status',
} as const;

const annotation = {
  time: 'berth.dev/time',
  description: 'berth.dev/description',
  specDigest: 'berth.dev/spec-digest',
  images: 'berth.dev/images',
  berthVersion: 'berth.dev/berth-version',
  by: 'berth.dev/by',
  restoredFrom: 'berth.dev/restored-from',
  objectCount: 'berth.dev/object-count',
} as const;

export const revisionSecretType = 'berth.dev/release.v1';

/** The label selector of every revision of a release. */
export function revisionSelector(release: string): string {
  return `${RevisionLabel.owner}=berth,${RevisionLabel.release}=${release}`;
}

/**
 * How the object set is packed into `data.release` (gzip'd JSON, base64; adapters/codec.ts).
 * Injected so this module stays pure.
 */
export interface PayloadCodec {
  pack(json: string): string;
  unpack(data: string): string;
}

/** The Secret that stores `record`. */
export function encodeRevision(
  release: ReleaseRef,
  record: RevisionRecord,
  codec: PayloadCodec,
): KubeObject {
  const annotations: Record<string, string> = {
    [annotation.time]: record.time,
    [annotation.description]: record.description,
    [annotation.specDigest]: record.specDigest,
    [annotation.images]: record.images.join(','),
    [annotation.berthVersion]: record.berthVersion,
    [annotation.by]: record.by,
    [annotation.objectCount]: String(record.objects.length),
  };
  if (record.restoredFrom !== undefined)
    annotations[annotation.restoredFrom] = String(record.restoredFrom);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: revisionSecretType,
    metadata: {
      name: revisionSecretName(release.name, record.revision),
      namespace: release.namespace,
      labels: {
        [RevisionLabel.owner]: 'berth',
        [RevisionLabel.release]: release.name,
        [RevisionLabel.revision]: String(record.revision),
        [RevisionLabel.status]: record.status,
      },
      annotations,
    },
    data: { release: codec.pack(JSON.stringify({ objects: record.objects })) },
  };
}

/** The table row of a revision Secret (no decompression). */
export function readRevisionInfo(secret: KubeObject): RevisionInfo {
  const labels = secret.metadata.labels ?? {};
  const a = secret.metadata.annotations ?? {};
  const revision = Number(labels[RevisionLabel.revision]);
  const status = labels[RevisionLabel.status] as RevisionStatus;
  if (!Number.isInteger(revision) || !Object.values(RevisionStatus).includes(status))
    throw new BerthError(
      ErrorCode.cluster,
      `Secret ${secret.metadata.namespace}/${secret.metadata.name} is not a berth revision (labels ${RevisionLabel.revision}, ${RevisionLabel.status})`,
    );
  const info: RevisionInfo = {
    release: labels[RevisionLabel.release] ?? '',
    revision,
    status,
    time: a[annotation.time] ?? '',
    description: a[annotation.description] ?? '',
    specDigest: a[annotation.specDigest] ?? '',
    images: (a[annotation.images] ?? '').split(',').filter((s) => s !== ''),
    berthVersion: a[annotation.berthVersion] ?? '',
    by: a[annotation.by] ?? '',
    objectCount: Number(a[annotation.objectCount] ?? 0),
  };
  const restored = a[annotation.restoredFrom];
  if (restored !== undefined) info.restoredFrom = Number(restored);
  return info;
}

/** The whole record, objects included. */
export function decodeRevision(secret: KubeObject, codec: PayloadCodec): RevisionRecord {
  const info = readRevisionInfo(secret);
  const data = (secret.data as Record<string, string> | undefined)?.release;
  if (!data)
    throw new BerthError(
      ErrorCode.cluster,
      `revision ${info.revision} of release ${info.release}: Secret ${secret.metadata.name} has no data.release`,
    );
  const parsed = JSON.parse(codec.unpack(data)) as {
    objects?: KubeObject[];
  };
  return { ...info, objects: parsed.objects ?? [] };
}
