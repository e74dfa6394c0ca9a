// `berth apply` and `berth up` input and usage handling: the cases decided before any cluster
// is contacted (exit 2), and a missing cluster configuration (exit 1).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const emptyHome = mkdtempSync(join(tmpdir(), 'berth-nohome-'));
/** An environment with no cluster configured at all. */
const noCluster = { HOME: emptyHome };

const cases: { name: string; argv: string[]; stdin?: string; code: number; err: RegExp }[] = [
  {
    name: 'a document without kind is invalid input, with its position',
    argv: ['apply', join(fixtures, 'missing-kind.yaml')],
    code: 2,
    err: /missing-kind\.yaml: document 2: missing kind/,
  },
  {
    name: 'a YAML syntax error is invalid input with file:line:column',
    argv: ['apply', join(fixtures, 'broken.yaml')],
    code: 2,
    err: /broken\.yaml:\d+:\d+/,
  },
  {
    name: 'a missing path is invalid input',
    argv: ['apply', join(fixtures, 'nope.yaml')],
    code: 2,
    err: /nope\.yaml: no such file or folder/,
  },
  {
    name: 'stdin with no objects is invalid input',
    argv: ['apply', '-'],
    stdin: '# nothing\n',
    code: 2,
    err: /no Kubernetes objects found/,
  },
  {
    name: 'a bad --timeout is a usage error',
    argv: ['apply', '-', '--timeout', 'soon'],
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    code: 2,
    err: /--timeout soon: not a duration/,
  },
  {
    name: 'a bad --output is a usage error',
    argv: ['apply', '-', '-o', 'yaml'],
    code: 2,
    err: /--output yaml: must be text or json/,
  },
  {
    name: 'client dry run is refused with the supported mode named',
    argv: ['apply', '-', '--dry-run=client'],
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    code: 2,
    err: /only --dry-run=server is supported/,
  },
  {
    name: 'no cluster configured is a cluster problem (exit 1) that says what to do',
    argv: ['apply', '-'],
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    code: 1,
    err: /no cluster configured: pass --kubeconfig, set KUBECONFIG/,
  },
  {
    name: 'an unknown --context names the known ones',
    argv: ['apply', '-', '--kubeconfig', join(fixtures, 'kubeconfig.yaml'), '--context', 'prod'],
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    code: 2,
    err: /--context prod: no such context .*\(contexts: dev, staging\)/,
  },
  {
    name: 'an unreachable cluster is a cluster problem naming the server',
    argv: ['apply', '-', '--kubeconfig', join(fixtures, 'kubeconfig.yaml'), '--timeout', '5s'],
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    code: 1,
    err: /cannot reach the API server at https:\/\/127\.0\.0\.1:1 \(context "dev"\)/,
  },
];

for (const c of cases) {
  test(`apply cli: ${c.name}`, async () => {
    const { io, captured } = memoryIO({ env: noCluster, ...(c.stdin ? { stdin: c.stdin } : {}) });
    const code = await runCli(c.argv, io);
    assert.equal(code, c.code, captured.err);
    assert.match(captured.err, c.err);
  });
}

test('apply cli: KUBECONFIG lists are honoured like kubectl (first current-context wins)', async () => {
  const { io, captured } = memoryIO({
    env: {
      HOME: emptyHome,
      KUBECONFIG: `${join(fixtures, 'missing')}:${join(fixtures, 'kubeconfig.yaml')}`,
    },
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
  });
  assert.equal(await runCli(['apply', '-'], io), 1);
  assert.match(captured.err, /context "dev"/);
});

/** A kubeconfig for a local server that accepts connections and never answers. */
async function silentServer(
  t: import('node:test').TestContext,
): Promise<{ kubeconfig: string; url: string }> {
  const { createServer } = await import('node:net');
  const { writeFileSync } = await import('node:fs');
  const sockets: import('node:net').Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    sockets.forEach((s) => s.destroy());
    server.close();
  });
  const { port } = server.address() as import('node:net').AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'berth-silent-')), 'config');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'silent',
      clusters: [{ name: 's', cluster: { server: url } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'silent', context: { cluster: 's', user: 'u' } }],
    }),
  );
  return { kubeconfig, url };
}

test('apply cli: --timeout 3s against a server that never answers exits 1 in about 3 s, naming it', async (t) => {
  const { kubeconfig, url } = await silentServer(t);
  const { io, captured } = memoryIO({
    env: noCluster,
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
  });
  const started = Date.now();
  const code = await runCli(['apply', '-', '--kubeconfig', kubeconfig, '--timeout', '3s'], io);
  const took = Date.now() - started;
  assert.equal(code, 1);
  assert.ok(took >= 2900 && took < 4500, `took ${took} ms`);
  assert.match(
    captured.err,
    new RegExp(
      `the API server at ${url.replace(/\./g, '\\.')} \\(context "silent"\\) did not answer GET before the operation's deadline`,
    ),
  );
  assert.match(captured.err, /gave up at --timeout 3s/);
});

test('apply cli: -o json prints a JSON error document when the cluster fails', async (t) => {
  const { kubeconfig, url } = await silentServer(t);
  const { io, captured } = memoryIO({
    env: noCluster,
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
  });
  const code = await runCli(
    ['apply', '-', '--kubeconfig', kubeconfig, '--timeout', '1s', '-o', 'json'],
    io,
  );
  assert.equal(code, 1);
  const doc = JSON.parse(captured.out) as Record<string, unknown>;
  assert.equal(doc.kind, 'Error');
  assert.equal(doc.code, 'timeout');
  assert.equal(doc.reason, 'Timeout');
  assert.equal(doc.server, url);
});
