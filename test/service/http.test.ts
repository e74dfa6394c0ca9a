// The service's HTTP auth matrix over a real socket: non-loopback bind without credentials is
// refused; with credentials every route but /healthz answers 401 without them; bearer and basic
// (scrypt) work; wrong ones are rate-limited; the dashboard escapes what it shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { hashPassword, verifyPassword, type AuthConfig } from '../../src/service/auth.ts';
import type { DashboardView } from '../../src/service/dashboard.ts';
import { createApp, InsecureBindError, startHttp } from '../../src/service/http.ts';

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
const routes = ['/', '/readyz', '/metrics'];

function options(
  host: string,
  auth: AuthConfig = { bearerToken: token, basic: { user: 'roger', hash } },
) {
  return {
    host,
    port: 0,
    auth,
    registry: new Registry(),
    ready: () => true,
    view: () => view,
    loginLimit: { max: 3, windowMs: 60_000 },
  };
}

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

test('scrypt hashes verify the right password only', () => {
  assert.ok(verifyPassword('correct horse', hash));
  assert.ok(!verifyPassword('wrong', hash));
  assert.ok(!verifyPassword('correct horse', 'plain-text'));
});

test('a non-loopback bind without credentials is refused; loopback without them is open', async () => {
  assert.throws(() => createApp(options('0.0.0.0', {})), InsecureBindError);
  const app = createApp(options('127.0.0.1', {}));
  assert.equal((await app.request('/')).status, 200);
});

test('auth matrix on 0.0.0.0: only /healthz is open', async (t) => {
  const http = await startHttp(options('0.0.0.0'));
  t.after(() => http.close());
  const url = http.url.replace('0.0.0.0', '127.0.0.1');
  const get = (path: string, authorization?: string) =>
    fetch(url + path, authorization ? { headers: { authorization } } : {});
  assert.equal((await get('/healthz')).status, 200);
  for (const path of [...routes, '/nope']) {
    const r = await get(path);
    assert.equal(r.status, 401, path);
    assert.match(r.headers.get('www-authenticate') ?? '', /Basic/);
  }
  for (const path of routes) {
    assert.equal((await get(path, `Bearer ${token}`)).status, 200, `${path} bearer`);
    assert.equal((await get(path, basic('roger', 'correct horse'))).status, 200, `${path} basic`);
  }
  const page = await (await get('/', `Bearer ${token}`)).text();
  assert.match(page, /Open incidents/);
  assert.match(page, /&lt;script&gt;/);
  assert.ok(!page.includes('<script>'));
  assert.match(page, /leader/);
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
