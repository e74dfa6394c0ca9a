/**
 * Connecting to a cluster as kubectl would (src/kube/kubeconfig.ts): the HTTP adapter of the
 * port, with credentials that are re-read every minute when they rotate (token files, plugins).
 */
import type { KubeApi } from './api.ts';
import { ClusterUnreachableError } from './errors.ts';
import { credentialSource, isRotating, type Credentials } from './http/credentials.ts';
import { HttpKube } from './http/http-kube.ts';
import { Transport, type Clock, type RetryPolicy } from './http/transport.ts';
import { loadKubeConfig, type KubeConfigOptions } from './kubeconfig.ts';

export interface ConnectOptions extends KubeConfigOptions {
  /** Parallel connections to the API server. @default 16 */
  maxSockets?: number;
  /** Longest single request attempt. @default 30_000 */
  requestTimeoutMs?: number;
  /** @default { attempts: 5, baseMs: 200, capMs: 5_000 } */
  retry?: Partial<RetryPolicy>;
  /** @default the system clock */
  clock?: Clock;
}

/** Tokens from files and plugins rotate: credentials are recomputed this often. */
const credentialTtlMs = 60_000;

export async function connectKube(options: ConnectOptions = {}): Promise<HttpKube> {
  const config = loadKubeConfig(options);
  if (config.cluster['proxy-url'])
    throw new ClusterUnreachableError(
      `context "${config.context}": proxy-url is not supported by berth yet; use a direct route to ${config.server}`,
    );
  const source = credentialSource(config);
  let credentials: Credentials = await source();
  let refreshedAt = Date.now();
  const rotating = isRotating(config);
  const transport = new Transport({
    server: new URL(config.server),
    tls: credentials.tls,
    headers: async () => {
      if (rotating && Date.now() - refreshedAt > credentialTtlMs) {
        credentials = await source();
        refreshedAt = Date.now();
      }
      return credentials.headers;
    },
    ...(options.maxSockets !== undefined ? { maxSockets: options.maxSockets } : {}),
    ...(options.requestTimeoutMs !== undefined
      ? { requestTimeoutMs: options.requestTimeoutMs }
      : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return new HttpKube(config, transport);
}

export type { KubeApi };
