/** What the in-memory server answers for `/scale`, TokenRequest and access reviews. */
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
