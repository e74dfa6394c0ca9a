/** What the in-memory server answers for `/scale`, TokenRequest, evictions, access reviews and list pages. */
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import type { CreateBody, Scale } from '../api.ts';

export function scaleOf(live: KubeObject): Scale {
  const spec = (live.spec ?? {}) as {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
  };
  const status = (live.status ?? {}) as { replicas?: number };
  return {
    replicas: spec.replicas ?? 1,
    statusReplicas: status.replicas ?? 0,
    selector: Object.entries(spec.selector?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    resourceVersion:
      typeof live.metadata.resourceVersion === 'string' ? live.metadata.resourceVersion : '',
  };
}

/** A TokenRequest answered with a recognisable fake token. */
export function tokenRequest(
  body: CreateBody,
  account: ObjectRef,
  serial: number,
  now: number,
): KubeObject {
  const seconds =
    (body.spec as { expirationSeconds?: number } | undefined)?.expirationSeconds ?? 3600;
  return {
    ...structuredClone(body),
    metadata: { name: account.name, namespace: account.namespace ?? '' },
    status: {
      token: `memory-token.${account.namespace ?? ''}.${account.name}.${serial}`,
      expirationTimestamp: new Date(now + seconds * 1000).toISOString(),
    },
  };
}

/** The in-memory server allows everything. */
export function reviewOf(body: CreateBody): KubeObject {
  const status =
    body.kind === 'SelfSubjectRulesReview'
      ? {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [],
          incomplete: false,
        }
      : { allowed: true };
  return { ...structuredClone(body), metadata: { name: '' }, status };
}

/** An eviction's answer (the pod itself is removed by the caller, unless a dry run). */
export function evictionOf(body: CreateBody, pod: ObjectRef): KubeObject {
  return {
    ...structuredClone(body),
    metadata: { name: pod.name, namespace: pod.namespace ?? '' },
  };
}

/** One page of a list, as the API server pages (the continue token carries the offset here). */
export function pageOf<T>(
  all: readonly T[],
  o: { limit?: number; continue?: string },
): { items: T[]; next?: string } {
  const from = o.continue ? Number(o.continue) : 0;
  const to = o.limit ? from + o.limit : all.length;
  return { items: all.slice(from, to), ...(to < all.length ? { next: String(to) } : {}) };
}
