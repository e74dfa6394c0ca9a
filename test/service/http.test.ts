// The service's HTTP auth matrix over a real socket: non-loopback bind without credentials is
// refused; with credentials every route but /healthz and /readyz answers 401 without them (on the
// machine's own non-loopback address); bearer and basic (scrypt) work; wrong ones are rate-limited
// (concurrent ones too); without credentials only a loopback Host is served (DNS rebinding); a
// port in use rejects the start; the
// dashboard escapes what it shows; the undo POST needs a CSRF token bound to the credentials and
// refuses cross-site requests.
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import {
  Authenticator,
  hashPassword,
  hostName,
  isLoopback,
  verifyPassword,
  type AuthConfig,
} from '../../src/service/auth.ts';
import type { DashboardView } from '../../src/service/dashboard.ts';
import {
  createApp,
  crossSiteReason,
  InsecureBindError,
  startHttp,
  type HttpOptions,
} from '../../src/service/http.ts';

const view: DashboardView = {
  version: '0.1.0',
  identity: 'berth-0',
  leader: true,
  ready: true,
  incidents: [
    {
      title: 'CrashLoopBackOff: <script>alert(1)</script>',
      severity: 'critical',
      since: '12:00',
      evidence: ['exit 1'],
    },
  ],
  ledger: [
    {
      id: 'a1',
      at: '12:01',
      command: 'kubectl rollout restart deployment/clovis -n bots',
      status: 'verified',
    },
  ],
  pools: [{ name: 'workers', replicas: 3, depth: 42, reason: 'depth 42 > 10 per replica' }],
};
const token = 'test-bearer-token-0123456789';
const hash = hashPassword('correct horse');
const routes = ['/', '/metrics', '/?undo=undo-x-1'];

function options(
  host: string,
  auth: AuthConfig = { bearerToken: token, basic: { user: 'roger', hash } },
  extra: Partial<HttpOptions> = {},
): HttpOptions {
  return {
    host,
    port: 0,
    auth,
    registry: new Registry(),
    ready: () => true,
    view: () => view,
    loginLimit: { max: 3, windowMs: 60_000 },
    ...extra,
  };
}

/** The machine's first non-loopback IPv4 address; 0.0.0.0 (reached through 127.0.0.1) if none. */
function outsideAddress(): { bind: string; connect: string } {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? [])
      if (a.family === 'IPv4' && !a.internal) return { bind: a.address, connect: a.address };
  return { bind: '0.0.0.0', connect: '127.0.0.1' };
}

/** An undo handler that records what it was asked. */
function recordingUndo() {
  const asked: { entry: string; user: string }[] = [];
  return {
    asked,
    request(entry: string, user: string) {
      asked.push({ entry, user });
      return Promise.resolve({ id: `undo-t-${asked.length}` });
    },
  };
}

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

test('scrypt hashes verify the right password only', () => {
  assert.ok(verifyPassword('correct horse', hash));
  assert.ok(!verifyPassword('wrong', hash));
  assert.ok(!verifyPassword('correct horse', 'plain-text'));
});

test('logins: scrypt off the event loop, successes remembered for a while, failures never', async () => {
  let now = 0;
  const auth = new Authenticator(
    { basic: { user: 'roger', hash } },
    { now: () => now, ttlMs: 1000 },
  );
  const header = basic('roger', 'correct horse');
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 1);
  const started = performance.now();
  assert.equal(await auth.principal(header), 'roger');
  const first = performance.now() - started;
  clearInterval(ticker);
  assert.ok(ticks > 0, 'timers ran while scrypt was computing');
  const again = performance.now();
  assert.equal(await auth.principal(header), 'roger');
  const cached = performance.now() - again;
  assert.ok(cached < 10 && cached < first / 2, `cached ${cached} ms, first ${first} ms`);
  assert.equal(await auth.principal(basic('roger', 'wrong')), undefined);
  assert.equal(await auth.principal(basic('eve', 'correct horse')), undefined);
  now = 2000;
  assert.equal(await auth.principal(header), 'roger', 'verified again after the TTL');
});

test('a non-loopback bind without credentials is refused; loopback without them is open', async () => {
  assert.throws(() => createApp(options('0.0.0.0', {})), InsecureBindError);
  const app = createApp(options('127.0.0.1', {}));
  assert.equal((await app.request('/')).status, 200);
});

test('auth matrix on a non-loopback address: only /healthz and /readyz are open', async (t) => {
  const where = outsideAddress();
  const http = await startHttp(options(where.bind, undefined, { undo: recordingUndo() }));
  t.after(() => http.close());
  const url = http.url.replace(where.bind, where.connect);
  const get = (path: string, authorization?: string) =>
    fetch(url + path, authorization ? { headers: { authorization } } : {});
  assert.equal((await get('/healthz')).status, 200);
  // The kubelet's readiness probe carries no credentials (src/render/service.ts).
  assert.equal((await get('/readyz')).status, 200);
  assert.equal(await (await get('/readyz')).text(), 'ready');
  for (const path of [...routes, '/nope', '/healthz/../metrics', '/readyz/../metrics']) {
    const r = await get(path);
    assert.equal(r.status, 401, path);
    assert.match(r.headers.get('www-authenticate') ?? '', /Basic/);
  }
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await fetch(url + '/undo', {
      method,
      body: new URLSearchParams({ entry: 'wd-1' }),
    });
    assert.equal(r.status, 401, `${method} /undo`);
  }
  for (const path of routes) {
    assert.equal((await get(path, `Bearer ${token}`)).status, 200, `${path} bearer`);
    assert.equal((await get(path, basic('roger', 'correct horse'))).status, 200, `${path} basic`);
  }
  const r = await get('/', `Bearer ${token}`);
  assert.match(
    r.headers.get('content-security-policy') ?? '',
    /default-src 'none'.*frame-ancestors 'none'/,
  );
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  // With no-referrer, Chromium posts the undo form with `Origin: null` (refused as cross-site).
  assert.equal(r.headers.get('referrer-policy'), 'same-origin');
  const page = await r.text();
  assert.match(page, /Open incidents/);
  assert.match(page, /&lt;script&gt;/);
  assert.ok(!page.includes('<script>'));
  assert.match(page, /leader/);
});

test('undo POST: CSRF token bound to the credentials, same-origin only, then 303 to the result', async (t) => {
  const undo = recordingUndo();
  const withUndo = {
    undo,
    view: () => ({ ...view, ledger: view.ledger.map((e) => ({ ...e, undoable: true })) }),
  };
  const http = await startHttp(options('127.0.0.1', undefined, withUndo));
  t.after(() => http.close());
  const roger = basic('roger', 'correct horse');
  const tokenOf = async (authorization: string) => {
    const page = await (await fetch(http.url + '/', { headers: { authorization } })).text();
    return /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  };
  const post = (
    authorization: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ) =>
    fetch(http.url + '/undo', {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const csrf = await tokenOf(roger);
  assert.match(csrf, /^[0-9a-z]+\.[\w-]{43}$/);
  const cases: {
    name: string;
    auth?: string;
    form: Record<string, string>;
    headers?: Record<string, string>;
    status: number;
  }[] = [
    { name: 'no token', form: { entry: 'a1' }, status: 403 },
    {
      name: 'forged token',
      form: { entry: 'a1', csrf: csrf.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) },
      status: 403,
    },
    {
      name: "the bearer's token with basic credentials",
      form: { entry: 'a1', csrf: await tokenOf(`Bearer ${token}`) },
      status: 403,
    },
    {
      name: 'cross-site fetch metadata',
      form: { entry: 'a1', csrf },
      headers: { 'sec-fetch-site': 'cross-site' },
      status: 403,
    },
    {
      name: 'foreign Origin',
      form: { entry: 'a1', csrf },
      headers: { origin: 'https://evil.example' },
      status: 403,
    },
    { name: 'bad entry id', form: { entry: '../../x', csrf }, status: 400 },
    {
      name: 'same-origin form post',
      form: { entry: 'a1', csrf },
      headers: { 'sec-fetch-site': 'same-origin', origin: http.url },
      status: 303,
    },
    {
      name: 'non-browser client with the token',
      auth: `Bearer ${token}`,
      form: { entry: 'a1', csrf: await tokenOf(`Bearer ${token}`) },
      status: 303,
    },
  ];
  for (const c of cases) {
    const r = await post(c.auth ?? roger, c.form, c.headers);
    assert.equal(r.status, c.status, c.name);
    if (c.status === 303) assert.match(r.headers.get('location') ?? '', /^\/\?undo=undo-t-\d$/);
  }
  assert.deepEqual(undo.asked, [
    { entry: 'a1', user: 'roger' },
    { entry: 'a1', user: 'bearer' },
  ]);
  // A page from one replica posts to another behind the same Service: same Secret, same key.
  const other = await startHttp(options('127.0.0.1', undefined, withUndo));
  t.after(() => other.close());
  const r = await fetch(other.url + '/undo', {
    method: 'POST',
    redirect: 'manual',
    headers: { authorization: roger, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ entry: 'a1', csrf }).toString(),
  });
  assert.equal(r.status, 303);
});

test('crossSiteReason', () => {
  const cases: [Parameters<typeof crossSiteReason>[0], RegExp | undefined][] = [
    [{ host: 'berth.example' }, undefined],
    [
      { host: 'berth.example', secFetchSite: 'same-origin', origin: 'https://berth.example' },
      undefined,
    ],
    [{ host: 'berth.example', secFetchSite: 'same-site' }, /same-site/],
    [{ host: 'berth.example', secFetchSite: 'none' }, /none/],
    [{ host: 'berth.example', origin: 'null' }, /not a URL/],
    [{ host: 'berth.example', origin: 'https://berth.example.evil' }, /not this site/],
  ];
  for (const [headers, want] of cases) {
    const got = crossSiteReason(headers);
    if (want) assert.match(got ?? '', want, JSON.stringify(headers));
    else assert.equal(got, undefined, JSON.stringify(headers));
  }
});

test('failed logins are rate-limited per client (429), good credentials too once blocked', async (t) => {
  const http = await startHttp(options('0.0.0.0'));
  t.after(() => http.close());
  const url = http.url.replace('0.0.0.0', '127.0.0.1');
  for (let i = 0; i < 3; i++)
    assert.equal(
      (await fetch(url + '/', { headers: { authorization: basic('roger', `guess${i}`) } })).status,
      401,
    );
  assert.equal(
    (await fetch(url + '/', { headers: { authorization: `Bearer ${token}` } })).status,
    429,
  );
  assert.equal((await fetch(url + '/healthz')).status, 200);
});

test('/readyz is open and answers 503 until the informers have synced', async () => {
  let ready = false;
  const app = createApp(options('0.0.0.0', undefined, { ready: () => ready }));
  assert.equal((await app.request('/readyz')).status, 503);
  ready = true;
  assert.equal((await app.request('/readyz')).status, 200);
  assert.equal((await app.request('/metrics')).status, 401);
});

test('concurrent wrong passwords from one client over HTTP: 429 past the limit', async (t) => {
  const http = await startHttp(options('0.0.0.0'));
  t.after(() => http.close());
  const url = http.url.replace('0.0.0.0', '127.0.0.1');
  const statuses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      fetch(url + '/', { headers: { authorization: basic('roger', `guess${i}`) } }).then(
        (r) => r.status,
      ),
    ),
  );
  const count = (code: number) => statuses.filter((s) => s === code).length;
  // limit 3: at most 3 verified (401), the others refused before any scrypt (429), or 503 when
  // the global cap of concurrent verifications is reached first.
  assert.ok(count(401) <= 3, JSON.stringify(statuses));
  assert.ok(count(429) >= 17 - count(503), JSON.stringify(statuses));
  assert.equal(count(200), 0);
  assert.equal(
    (await fetch(url + '/', { headers: { authorization: basic('roger', 'correct horse') } }))
      .status,
    429,
  );
});

test('a right password refunds its counted attempt', async (t) => {
  const http = await startHttp(options('0.0.0.0'));
  t.after(() => http.close());
  const url = http.url.replace('0.0.0.0', '127.0.0.1');
  const right = basic('roger', 'correct horse');
  for (let i = 0; i < 5; i++) {
    // A fresh Authenticator cache miss each time would be needed for a real re-verification;
    // the cache answers after the first, and must not count either.
    assert.equal((await fetch(url + '/', { headers: { authorization: right } })).status, 200);
  }
  for (let i = 0; i < 2; i++)
    assert.equal(
      (await fetch(url + '/', { headers: { authorization: basic('roger', `x${i}`) } })).status,
      401,
    );
  assert.equal((await fetch(url + '/', { headers: { authorization: right } })).status, 200);
});

test('concurrent scrypt verifications are capped for all clients together (503)', async () => {
  const auth = new Authenticator(
    { basic: { user: 'roger', hash } },
    { now: () => 0, maxConcurrent: 2 },
  );
  const results = await Promise.allSettled(
    Array.from({ length: 4 }, (_, i) => auth.principal(basic('roger', `p${i}`))),
  );
  const busy = results.filter((r) => r.status === 'rejected');
  assert.equal(busy.length, 2);
  assert.equal(await auth.principal(basic('roger', 'correct horse')), 'roger', 'free again');
});

test('without credentials only a loopback Host is served (DNS rebinding): 421', async (t) => {
  const undo = recordingUndo();
  const undoable = { ...view, ledger: view.ledger.map((e) => ({ ...e, undoable: true })) };
  const http = await startHttp(options('127.0.0.1', {}, { undo, view: () => undoable }));
  t.after(() => http.close());
  const port = new URL(http.url).port;
  const { request } = await import('node:http');
  const send = (host: string, method = 'GET', path = '/', body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          headers: {
            host,
            ...(body
              ? {
                  'content-type': 'application/x-www-form-urlencoded',
                  origin: `http://${host}`,
                  'sec-fetch-site': 'same-origin',
                }
              : {}),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '127.0.0.2'])
    assert.equal((await send(host)).status, 200, host);
  const page = (await send(`127.0.0.1:${port}`)).text;
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  assert.ok(csrf);
  for (const host of [
    `attacker.example:${port}`,
    `127.0.0.1.attacker.example:${port}`,
    '10.0.0.1',
  ]) {
    assert.equal((await send(host)).status, 421, host);
    assert.equal((await send(host, 'GET', '/readyz')).status, 421, host);
    const posted = await send(host, 'POST', '/undo', `entry=a1&csrf=${csrf}`);
    assert.equal(posted.status, 421, `${host} undo`);
  }
  assert.deepEqual(undo.asked, []);
});

test('isLoopback and hostName', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST'])
    assert.ok(isLoopback(h), h);
  for (const h of ['127.0.0.1.nip.io', '127.evil', '127.0.0.256', '0.0.0.0', '10.0.0.1', '::'])
    assert.ok(!isLoopback(h), h);
  assert.equal(hostName('[::1]:8080'), '[::1]');
  assert.equal(hostName('localhost:9119'), 'localhost');
  assert.equal(hostName('127.0.0.1'), '127.0.0.1');
});

test('a port in use rejects the start (no uncaught exception)', async (t) => {
  const first = await startHttp(options('127.0.0.1', {}));
  t.after(() => first.close());
  const port = Number(new URL(first.url).port);
  await assert.rejects(startHttp(options('127.0.0.1', {}, { port })), /EADDRINUSE/);
});
