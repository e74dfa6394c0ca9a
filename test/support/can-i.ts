// A `kubectl auth can-i` matrix for the RBAC tests: each row is asked of the API server as a
// SelfSubjectAccessReview under the identity `kube` carries; the rows it answers otherwise are
// returned as readable lines (an empty list means the identity holds exactly what the rows say).
import type { KubeApi } from '../../src/kube/api.ts';

/** `[verb, resource, namespace, allowed, { group, subresource, name }]`: one `kubectl auth can-i`. */
export type CanIRow = [
  verb: string,
  resource: string,
  namespace: string | undefined,
  allowed: boolean,
  extra?: { group?: string; subresource?: string; name?: string },
];

export async function canIMismatches(kube: KubeApi, rows: readonly CanIRow[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const [verb, resource, ns, allowed, extra = {}] of rows) {
    const review = await kube.create(
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            verb,
            resource,
            group: extra.group ?? '',
            ...(ns ? { namespace: ns } : {}),
            ...(extra.subresource ? { subresource: extra.subresource } : {}),
            ...(extra.name ? { name: extra.name } : {}),
          },
        },
      },
      { fieldManager: 'berth-test', deadline: Date.now() + 5_000 },
    );
    const got = (review as { status?: { allowed?: boolean } }).status?.allowed === true;
    if (got !== allowed)
      wrong.push(
        `can-i ${verb} ${extra.group ? `${resource}.${extra.group}` : resource}${extra.subresource ? `/${extra.subresource}` : ''}${extra.name ? ` ${extra.name}` : ''} -n ${ns ?? '(cluster)'}: ${got}, expected ${allowed}`,
      );
  }
  return wrong;
}
