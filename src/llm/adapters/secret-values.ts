/**
 * The values of the Secrets berth can read, so they are masked wherever they show up in a prompt
 * (a log line that prints a password). Read fresh before each explanation, under a deadline; a
 * failed read refuses the explanation instead of sending unmasked text.
 */
import type { KubeApi } from '../../kube/api.ts';

export function secretValuesFrom(
  api: KubeApi,
  namespaces: readonly string[],
  o: { timeoutMs?: number } = {},
): () => Promise<string[]> {
  return async () => {
    const values: string[] = [];
    for (const namespace of namespaces) {
      const { items } = await api.list(
        { apiVersion: 'v1', kind: 'Secret', namespace },
        { deadline: Date.now() + (o.timeoutMs ?? 5_000) },
      );
      for (const s of items) {
        const data = (s as { data?: Record<string, unknown> }).data ?? {};
        const plain = (s as { stringData?: Record<string, unknown> }).stringData ?? {};
        for (const v of Object.values(data))
          if (typeof v === 'string') values.push(Buffer.from(v, 'base64').toString('utf8'));
        for (const v of Object.values(plain)) if (typeof v === 'string') values.push(v);
      }
    }
    return values;
  };
}

/**
 * The values of the Secrets of `namespaces` this identity may list, by a
 * SelfSubjectAccessReview per namespace (asked once, under a deadline; a failed review counts as
 * "no"). Where it may not (the rendered role of berth's service lists no Secrets), nothing is
 * read and nothing refuses the explanation: berth's own values and the pattern table still mask.
 */
export function permittedSecretValues(
  api: KubeApi,
  namespaces: readonly string[],
  o: { timeoutMs?: number; log?: (line: string) => void } = {},
): () => Promise<string[]> {
  let permitted: Promise<string[]> | undefined;
  const review = async (namespace: string): Promise<boolean> => {
    try {
      const r = await api.create(
        {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { namespace, verb: 'list', resource: 'secrets' } },
        },
        { fieldManager: 'berth-service', deadline: Date.now() + (o.timeoutMs ?? 5_000) },
      );
      return (r as { status?: { allowed?: boolean } }).status?.allowed === true;
    } catch (error) {
      o.log?.(
        `llm: cannot ask whether Secrets of ${namespace} may be read: ${(error as Error).message}`,
      );
      return false;
    }
  };
  return async () => {
    permitted ??= (async () => {
      const allowed: string[] = [];
      for (const ns of namespaces) if (await review(ns)) allowed.push(ns);
      if (allowed.length < namespaces.length)
        o.log?.(
          `llm: Secrets not readable in ${namespaces.filter((n) => !allowed.includes(n)).join(', ')}: masking with berth's own values and the patterns there`,
        );
      return allowed;
    })();
    const namespacesRead = await permitted;
    return namespacesRead.length ? secretValuesFrom(api, namespacesRead, o)() : [];
  };
}
