/** The autoscaler's HTTP endpoint: `/healthz`, `/metrics` (Prometheus), `/explain/<pool>` (JSON). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AutoscaleController } from './controller.ts';
import type { AutoscaleMetrics } from './metrics.ts';

export interface StatusServer {
  url: string;
  close(): Promise<void>;
}

export async function startStatusServer(o: {
  host: string;
  port: number;
  controller: AutoscaleController;
  metrics: AutoscaleMetrics;
}): Promise<StatusServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (path === '/healthz') return send(200, 'text/plain', 'ok\n');
    if (path === '/metrics') {
      o.metrics
        .text()
        .then((text) => send(200, o.metrics.registry.contentType, text))
        .catch((error: unknown) => send(500, 'text/plain', String(error)));
      return;
    }
    if (path === '/explain')
      return send(200, 'application/json', JSON.stringify(o.controller.poolNames()));
    const pool = /^\/explain\/([a-z0-9-]+)$/.exec(path)?.[1];
    const explanation = pool ? o.controller.explain(pool) : undefined;
    if (explanation) return send(200, 'application/json', JSON.stringify(explanation));
    send(404, 'text/plain', 'not found\n');
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
