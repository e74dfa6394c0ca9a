/**
 * The two Lease writes every elector makes (src/kube/leader.ts, the autoscaler's on-demand lease):
 * create the Lease when it is missing, and replace its spec only if it is still at the version
 * the writer read or last wrote (a JSON-patch `test` of the resourceVersion), so two candidates
 * that saw the same Lease cannot both take it. The decisions are the release lock's
 * (src/release/lock.ts).
 */
import type { KubeObject, ObjectRef } from '../model/object.ts';
import type { KubeApi } from './api.ts';

export interface LeaseWrite {
  deadline: number;
  signal?: AbortSignal;
  fieldManager: string;
}

/** A coordination.k8s.io/v1 Lease's reference. */
export function leaseRef(namespace: string, name: string): ObjectRef {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace, name };
}

/** Creates the Lease with this spec (AlreadyExists/Conflict when another replica was first). */
export function createLease(
  api: KubeApi,
  ref: ObjectRef,
  spec: Record<string, unknown>,
  o: LeaseWrite,
): Promise<KubeObject> {
  return api.create(
    {
      apiVersion: ref.apiVersion,
      kind: 'Lease',
      metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
      spec,
    },
    o,
  );
}

/** Replaces the spec if the Lease is still at `version` (else InvalidError from the `test`). */
export function writeLease(
  api: KubeApi,
  ref: ObjectRef,
  version: string | undefined,
  spec: Record<string, unknown>,
  o: LeaseWrite,
): Promise<KubeObject> {
  return api.patch(
    ref,
    [
      { op: 'test', path: '/metadata/resourceVersion', value: version },
      { op: 'add', path: '/spec', value: spec },
    ],
    { ...o, type: 'json' },
  );
}

/** The resourceVersion of an object as written, for the next `writeLease`. */
export function versionOf(obj: KubeObject): string | undefined {
  const v = obj.metadata.resourceVersion;
  return typeof v === 'string' ? v : undefined;
}
