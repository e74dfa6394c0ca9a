// The HTTP adapter against local servers: a silent one (accepts, never answers), one that
// throttles with 429 + Retry-After, one that refuses credentials, one that fails a create.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { connectKube } from '../connect.ts';
import { GoneError, TimeoutError, UnauthorizedError, UnavailableError } from '../errors.ts';
import { impersonation } from './credentials.ts';

function kubeconfig(server: string, user: Record<string, unknown> = { token: 't' }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-kc-'));
  const file = join(dir, 'config');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [{ name: 'c', cluster: { server } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'bots' } }],
    }),
  );
  return file;
}

async function listen(t: TestContext, server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.close();
    if (server instanceof http.Server) server.closeAllConnections();
  });
  const { port } = server.address() as net.AddressInfo;
  return `http://127.0.0.1:${port}`;
}

const discovery = JSON.stringify({
  resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true }],
});
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'bots' } };

test('a server that accepts and never answers: the call ends at its deadline, naming the server', async (t) => {
  const sockets: net.Socket[] = [];
  const url = await listen(
    t,
    net.createServer((s) => sockets.push(s)),
  );
  t.after(() => sockets.forEach((s) => s.destroy()));
  const kube = await connectKube({ kubeconfig: kubeconfig(url), env: {} });
  t.after(() => kube.close());
  const started = Date.now();
  const error = await kube
    .get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' }, { deadline: Date.now() + 400 })
    .catch((e: unknown) => e);
  const took = Date.now() - started;
  assert.ok(error instanceof TimeoutError, String(error));
  assert.match(error.message, new RegExp(`${url.replace(/\./g, '\\.')}`));
  assert.match(error.message, /did not answer GET before the operation's deadline/);
  assert.ok(took >= 350 && took < 1500, `took ${took} ms`);
});

test('each attempt has its own timeout; idempotent reads are retried until the deadline', async (t) => {
  let connections = 0;
  const sockets: net.Socket[] = [];
  const url = await listen(
    t,
    net.createServer((s) => {
      connections++;
      sockets.push(s);
    }),
  );
  t.after(() => sockets.forEach((s) => s.destroy()));
  const kube = await connectKube({
    kubeconfig: kubeconfig(url),
    env: {},
    requestTimeoutMs: 100,
    retry: { baseMs: 10, capMs: 20 },
  });
  t.after(() => kube.close());
  const error = await kube
    .list({ apiVersion: 'v1', kind: 'ConfigMap' }, { deadline: Date.now() + 2000 })
    .catch((e: unknown) => e);
  assert.ok(error instanceof TimeoutError);
  assert.match(
    error.message,
    /accepted the connection but did not answer GET within 100 ms \(5 attempts\)/,
  );
  assert.equal(connections, 5);
});

test('429 with Retry-After is retried; 503 on a create is not', async (t) => {
  let lists = 0;
  let creates = 0;
  const url = await listen(
    t,
    http.createServer((req, res) => {
      if (req.url === '/api/v1') {
        res.end(discovery);
        return;
      }
      if (req.method === 'POST') {
        creates++;
        res.statusCode = 503;
        res.end(
          JSON.stringify({ kind: 'Status', reason: 'ServiceUnavailable', message: 'etcd is down' }),
        );
        return;
      }
      lists++;
      if (lists < 3) {
        res.statusCode = 429;
        res.setHeader('Retry-After', '0');
        res.end('{}');
        return;
      }
      res.end(JSON.stringify({ items: [cm], metadata: { resourceVersion: '7' } }));
    }),
  );
  const kube = await connectKube({
    kubeconfig: kubeconfig(url),
    env: {},
    retry: { baseMs: 5, capMs: 10 },
  });
  t.after(() => kube.close());
  const listed = await kube.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bots' });
  assert.equal(listed.resourceVersion, '7');
  assert.equal(listed.items[0]?.kind, 'ConfigMap');
  assert.equal(lists, 3);
  await assert.rejects(kube.create(cm, { fieldManager: 'berth' }), (e: unknown) => {
    assert.ok(e instanceof UnavailableError);
    assert.match(e.message, /answered 503 ServiceUnavailable: etcd is down/);
    return true;
  });
  assert.equal(creates, 1, 'a create that may have happened is not sent twice');
});

test('refused credentials are one UnauthorizedError naming the server and context', async (t) => {
  const url = await listen(
    t,
    http.createServer((_req, res) => {
      res.statusCode = 401;
      res.end(JSON.stringify({ kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized' }));
    }),
  );
  const kube = await connectKube({ kubeconfig: kubeconfig(url), env: {} });
  t.after(() => kube.close());
  const error = await kube.apply(cm, { fieldManager: 'berth' }).catch((e: unknown) => e);
  assert.ok(error instanceof UnauthorizedError);
  assert.match(
    error.message,
    new RegExp(`^credentials refused by ${url.replace(/\./g, '\\.')} \\(context "c"\\)`),
  );
});

test('a refused connection is retried, then reported as unavailable', async (t) => {
  const server = net.createServer();
  const url = await listen(t, server);
  server.close();
  const kube = await connectKube({
    kubeconfig: kubeconfig(url),
    env: {},
    retry: { attempts: 3, baseMs: 5, capMs: 10 },
  });
  t.after(() => kube.close());
  await assert.rejects(
    kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' }),
    (e: unknown) => {
      assert.ok(e instanceof UnavailableError);
      assert.match(e.message, /cannot reach the API server at .*ECONNREFUSED.*\(3 attempts\)/);
      return true;
    },
  );
});

test('impersonation: as, as-groups (one header each), as-uid; as-groups without as is refused', async (t) => {
  let seen: http.IncomingHttpHeaders = {};
  let raw: string[] = [];
  const url = await listen(
    t,
    http.createServer((req, res) => {
      seen = req.headers;
      raw = req.rawHeaders;
      res.end(req.url === '/api/v1' ? discovery : JSON.stringify(cm));
    }),
  );
  const kube = await connectKube({
    kubeconfig: kubeconfig(url, {
      token: 't',
      as: 'alice',
      'as-groups': ['ops', 'dev'],
      'as-uid': '42',
    }),
    env: {},
  });
  t.after(() => kube.close());
  await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' });
  assert.equal(seen['impersonate-user'], 'alice');
  assert.equal(seen['impersonate-uid'], '42');
  const groups = raw.filter(
    (_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === 'impersonate-group',
  );
  assert.deepEqual(groups, ['ops', 'dev']);
  assert.throws(() => impersonation({ 'as-groups': ['ops'] }), /as-groups without as/);
});

test('pod logs: read with query options, and followed line by line', async (t) => {
  let query = '';
  const url = await listen(
    t,
    http.createServer((req, res) => {
      if (req.url === '/api/v1') {
        res.end(JSON.stringify({ resources: [{ name: 'pods', kind: 'Pod', namespaced: true }] }));
        return;
      }
      query = req.url ?? '';
      if (query.includes('follow=true')) {
        res.write('a\nb');
        setTimeout(() => res.end('\nc\n'), 20);
        return;
      }
      res.end('last line\n');
    }),
  );
  const kube = await connectKube({ kubeconfig: kubeconfig(url), env: {} });
  t.after(() => kube.close());
  const pod = { apiVersion: 'v1', kind: 'Pod', namespace: 'bots', name: 'p' };
  assert.equal(
    await kube.podLogs(pod, { container: 'app', previous: true, tailLines: 40 }),
    'last line\n',
  );
  assert.equal(
    query,
    '/api/v1/namespaces/bots/pods/p/log?container=app&previous=true&tailLines=40',
  );
  const lines: string[] = [];
  for await (const line of kube.followLogs(pod, { container: 'app' })) lines.push(line);
  assert.deepEqual(lines, ['a', 'b', 'c']);
});

test('watch over HTTP: events line by line, bookmarks, and an ERROR 410 event is a GoneError', async (t) => {
  let watches = 0;
  const url = await listen(
    t,
    http.createServer((req, res) => {
      if (req.url === '/api/v1') {
        res.end(discovery);
        return;
      }
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      if (q.get('watch') !== '1') {
        res.end(JSON.stringify({ items: [cm], metadata: { resourceVersion: '5' } }));
        return;
      }
      watches++;
      if (q.get('resourceVersion') === '1') {
        res.write(
          `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old resource version: 1 (5)' } })}\n`,
        );
        res.end();
        return;
      }
      res.write(
        `${JSON.stringify({ type: 'ADDED', object: { ...cm, metadata: { ...cm.metadata, resourceVersion: '6' } } })}\n`,
      );
      res.write(
        `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '9' } } })}\n`,
      );
      res.end(
        `${JSON.stringify({ type: 'DELETED', object: { ...cm, metadata: { ...cm.metadata, resourceVersion: '10' } } })}\n`,
      );
    }),
  );
  const kube = await connectKube({ kubeconfig: kubeconfig(url), env: {} });
  t.after(() => kube.close());
  const collection = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bots' };
  const seen: string[] = [];
  for await (const e of kube.watch(collection, { resourceVersion: '5' }))
    seen.push(`${e.type} ${String(e.object.metadata.resourceVersion)} ${e.object.kind}`);
  assert.deepEqual(seen, ['ADDED 6 ConfigMap', 'BOOKMARK 9 ConfigMap', 'DELETED 10 ConfigMap']);
  const gone = (async () => {
    for await (const _ of kube.watch(collection, { resourceVersion: '1' })) break;
  })();
  await assert.rejects(gone, GoneError);
  assert.equal(watches, 2);
});
