/**
 * The service's HTTP face (hono on @hono/node-server): `/healthz` and `/readyz` (open: the
 * kubelet's probes carry no credentials, and they say only ok / 503), `/metrics` (prom-client)
 * and the dashboard `/`. Every other route needs credentials whenever any are configured, and they
 * must be configured on a non-loopback bind: starting without them there is refused (ADR 0103,
 * ADR 0140). Without credentials (loopback only) a request must name a loopback Host, else 421:
 * a DNS-rebinding page cannot read the dashboard or post an undo. `POST /undo` (when an undo handler is
 * given) takes a ledger entry id and a CSRF token bound to the caller's credentials, refuses
 * cross-site requests (Origin, Sec-Fetch-Site), and redirects to the page showing the request
 * (ADR 0112).
 */
import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Registry } from 'prom-client';
import type { AddressInfo } from 'node:net';
import { BerthError, ErrorCode } from '../errors.ts';
import {
  AuthBusyError,
  Authenticator,
  csrfKey,
  csrfToken,
  hasCredentials,
  hostName,
  isLoopback,
  isValidCsrf,
  LoginLimiter,
  type AuthConfig,
} from './auth.ts';
import { renderDashboard, type DashboardView } from './dashboard.ts';

/** Serving without credentials beyond loopback: a usage error (exit 2). */
export class InsecureBindError extends BerthError {
  constructor(host: string) {
    super(
      ErrorCode.usage,
      `refusing to serve on ${host} without authentication: set a bearer token or a basic-auth ` +
        'scrypt hash (docs/service.md), or bind to 127.0.0.1',
    );
    this.name = 'InsecureBindError';
  }
}

/** What the page was asked for (`/?undo=<request id>` after an undo). */
export interface ViewQuery {
  undoRequest?: string;
}

/** Records an undo request (any replica) and says which; the leader carries it out. */
export interface UndoHandler {
  request(entryId: string, user: string): Promise<{ id: string }>;
}

export interface HttpOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  auth: AuthConfig;
  registry: Registry;
  ready: () => boolean;
  view: (query: ViewQuery) => DashboardView | Promise<DashboardView>;
  /** The undo button's action (src/service/adapters/view-undo.ts). @default no undo offered */
  undo?: UndoHandler;
  /** Failed logins allowed per client and window before 429. @default 5 per 60 s */
  loginLimit?: { max: number; windowMs: number };
  now?: () => number;
}

type Env = { Bindings: HttpBindings; Variables: { user: string } };

const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Not no-referrer: with it Chromium sends `Origin: null` on the form's POST, which is refused.
  'referrer-policy': 'same-origin',
};

const entryId = /^[a-z0-9][a-z0-9-]{0,62}$/;
const requestId = /^undo-[a-z0-9-]{1,40}$/;

/** Why a state-changing request is cross-site, or undefined when it is not. */
export function crossSiteReason(headers: {
  origin?: string | undefined;
  host?: string | undefined;
  secFetchSite?: string | undefined;
}): string | undefined {
  if (headers.secFetchSite !== undefined && headers.secFetchSite !== 'same-origin')
    return `Sec-Fetch-Site is ${headers.secFetchSite}`;
  if (headers.origin !== undefined) {
    let host: string;
    try {
      host = new URL(headers.origin).host;
    } catch {
      return `Origin ${headers.origin} is not a URL`;
    }
    if (host !== headers.host) return `Origin ${headers.origin} is not this site`;
  }
  return undefined;
}

export function createApp(o: HttpOptions): Hono<Env> {
  if (!isLoopback(o.host) && !hasCredentials(o.auth)) throw new InsecureBindError(o.host);
  const now = o.now ?? Date.now;
  const limiter = new LoginLimiter({ ...(o.loginLimit ?? { max: 5, windowMs: 60_000 }), now });
  const key = csrfKey(o.auth);
  const authenticator = new Authenticator(o.auth, { now });
  const app = new Hono<Env>();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(securityHeaders)) c.header(name, value);
  });
  if (!hasCredentials(o.auth))
    // Open on loopback only: refuse any Host but a loopback one (DNS rebinding, ADR 0140).
    app.use('*', async (c, next) => {
      const host = hostName(c.req.header('host') ?? new URL(c.req.url).host);
      if (!isLoopback(host))
        return c.text(`misdirected request: Host ${host} is not a loopback address\n`, 421);
      return next();
    });
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/readyz', (c) => (o.ready() ? c.text('ready') : c.text('informers not synced\n', 503)));
  app.use('*', async (c, next) => {
    if (!hasCredentials(o.auth)) {
      c.set('user', 'anonymous');
      return next(); // loopback only (checked above)
    }
    const header = c.req.header('authorization');
    const known = authenticator.cached(header);
    if (known !== undefined) {
      c.set('user', known);
      return next();
    }
    // Served by node-server: the peer address; app.request (tests): one bucket for all.
    const env = c.env as HttpBindings | undefined;
    const client = env?.incoming.socket.remoteAddress ?? 'unknown';
    const tooMany = () => c.text('too many failed logins\n', 429, { 'retry-after': '60' });
    if (limiter.isBlocked(client)) return tooMany();
    if (header) {
      // Counted before the (async) verification, refunded when right: concurrent guesses too.
      if (!limiter.attempt(client)) return tooMany();
      let user: string | undefined;
      try {
        user = await authenticator.principal(header);
      } catch (error) {
        limiter.refund(client);
        if (error instanceof AuthBusyError)
          return c.text('too many logins in progress, try again\n', 503, { 'retry-after': '1' });
        throw error;
      }
      if (user !== undefined) {
        limiter.refund(client);
        c.set('user', user);
        return next();
      }
    }
    return c.text('authentication required\n', 401, {
      'www-authenticate': 'Basic realm="berth", charset="UTF-8"',
    });
  });
  app.get('/metrics', async (c) =>
    c.body(await o.registry.metrics(), 200, { 'content-type': o.registry.contentType }),
  );
  app.get('/', async (c) => {
    const asked = c.req.query('undo');
    const query: ViewQuery = asked && requestId.test(asked) ? { undoRequest: asked } : {};
    const token = o.undo ? csrfToken(key, credentialOf(c), now()) : undefined;
    return c.html(renderDashboard(await o.view(query), token ? { csrfToken: token } : {}), 200, {
      'cache-control': 'no-store',
    });
  });
  if (o.undo) {
    const undo = o.undo;
    app.post('/undo', bodyLimit({ maxSize: 4096 }), async (c) => {
      const crossSite = crossSiteReason({
        origin: c.req.header('origin'),
        host: c.req.header('host'),
        secFetchSite: c.req.header('sec-fetch-site'),
      });
      if (crossSite) return c.text(`cross-site request refused: ${crossSite}\n`, 403);
      const body = await c.req.parseBody();
      const entry = typeof body.entry === 'string' ? body.entry : '';
      const token = typeof body.csrf === 'string' ? body.csrf : undefined;
      if (!isValidCsrf(key, credentialOf(c), token, now()))
        return c.text('missing or invalid CSRF token: reload the page and try again\n', 403);
      if (!entryId.test(entry)) return c.text('entry: a ledger entry id is required\n', 400);
      try {
        const r = await undo.request(entry, c.get('user'));
        return c.redirect(`/?undo=${encodeURIComponent(r.id)}`, 303);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return c.text(`the undo could not be recorded: ${message}\n`, 503);
      }
    });
  }
  return app;
}

/** What the CSRF token is bound to: the caller's credentials as sent. */
function credentialOf(c: Context<Env>): string {
  return c.req.header('authorization') ?? '';
}

export interface RunningHttp {
  url: string;
  close(): Promise<void>;
}

export async function startHttp(o: HttpOptions): Promise<RunningHttp> {
  const app = createApp(o);
  // A listen error (EADDRINUSE, EACCES) rejects: the caller hands its lease back and exits.
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: o.host, port: o.port }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
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
