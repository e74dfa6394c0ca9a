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
