/**
 * Pod log tails over HTTP. The KubeApi port has no text endpoints (`pods/log`), so this adapter
 * opens its own bounded transport from the same kubeconfig (src/kube/http), read-only, GET only.
 */
import { credentialSource } from '../../kube/http/credentials.ts';
import { Transport } from '../../kube/http/transport.ts';
import { loadKubeConfig, type KubeConfigOptions } from '../../kube/kubeconfig.ts';
import type { LogReader } from './logs.ts';

export async function connectLogReader(
  options: KubeConfigOptions,
): Promise<{ read: LogReader; close: () => void }> {
  const config = loadKubeConfig(options);
  const source = credentialSource(config);
  let credentials = await source();
  let refreshedAt = Date.now();
  const transport = new Transport({
    server: new URL(config.server),
    tls: credentials.tls,
    maxSockets: 4,
    requestTimeoutMs: 5000,
    headers: async () => {
      if (Date.now() - refreshedAt > 60_000) {
        credentials = await source();
        refreshedAt = Date.now();
      }
      return credentials.headers;
    },
  });
  const read: LogReader = async (namespace, pod, container, signal) => {
    const q = new URLSearchParams({
      container,
      previous: 'true',
      tailLines: '40',
      limitBytes: '8192',
    });
    const res = await transport.send({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${q.toString()}`,
      idempotent: true,
      signal,
    });
    return res.status === 200 && res.text ? res.text : undefined;
  };
  return { read, close: () => transport.close() };
}
