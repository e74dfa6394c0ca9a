/**
 * The service's HTTP face (hono on @hono/node-server): `/healthz` (open), `/readyz` (informers
 * synced), `/metrics` (prom-client) and the dashboard `/`. Every route but `/healthz` needs
 * credentials whenever any are configured, and they must be configured on a non-loopback bind:
 * starting without them there is refused (ADR 0103).
 */
import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { AddressInfo } from 'node:net';
import { hasCredentials, isAuthorized, isLoopback, LoginLimiter, type AuthConfig } from './auth.ts';
import { renderDashboard, type DashboardView } from './dashboard.ts';

export class InsecureBindError extends Error {
  readonly code = 'insecure-bind';
  constructor(host: string) {
    super(
      `refusing to serve on ${host} without authentication: set a bearer token or a basic-auth ` +
        'scrypt hash (docs/service.md), or bind to 127.0.0.1',
    );
    this.name = 'InsecureBindError';
  }
}

export interface HttpOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  auth: AuthConfig;
  registry: Registry;
  ready: () => boolean;
  view: () => DashboardView | Promise<DashboardView>;
  /** Failed logins allowed per client and window before 429. @default 5 per 60 s */
  loginLimit?: { max: number; windowMs: number };
  now?: () => number;
}

export function createApp(o: HttpOptions): Hono<{ Bindings: HttpBindings }> {
  if (!isLoopback(o.host) && !hasCredentials(o.auth)) throw new InsecureBindError(o.host);
  const limiter = new LoginLimiter({
    ...(o.loginLimit ?? { max: 5, windowMs: 60_000 }),
    now: o.now ?? Date.now,
  });
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/healthz', (c) => c.text('ok'));
  app.use('*', async (c, next) => {
    if (!hasCredentials(o.auth)) return next(); // loopback only (checked above)
    // Served by node-server: the peer address; app.request (tests): one bucket for all.
    const env = c.env as HttpBindings | undefined;
    const client = env?.incoming.socket.remoteAddress ?? 'unknown';
    if (limiter.isBlocked(client))
      return c.text('too many failed logins\n', 429, { 'retry-after': '60' });
    if (isAuthorized(c.req.header('authorization'), o.auth)) return next();
    if (c.req.header('authorization')) limiter.fail(client);
    return c.text('authentication required\n', 401, {
      'www-authenticate': 'Basic realm="berth", charset="UTF-8"',
    });
  });
  app.get('/readyz', (c) => (o.ready() ? c.text('ready') : c.text('informers not synced\n', 503)));
  app.get('/metrics', async (c) =>
    c.body(await o.registry.metrics(), 200, { 'content-type': o.registry.contentType }),
  );
  app.get('/', async (c) =>
    c.html(renderDashboard(await o.view()), 200, {
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    }),
  );
  return app;
}

export interface RunningHttp {
  url: string;
  close(): Promise<void>;
}

export async function startHttp(o: HttpOptions): Promise<RunningHttp> {
  const app = createApp(o);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: o.host, port: o.port }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
