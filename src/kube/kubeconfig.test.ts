import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findClusterConfig, loadKubeConfig } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-kubeconfig-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const first = write(
  'first.yaml',
  `current-context: a
clusters:
  - name: c1
    cluster: { server: 'https://one:6443', certificate-authority: certs/ca.crt }
users:
  - name: u1
    user: { token: t1 }
contexts:
  - name: a
    context: { cluster: c1, user: u1, namespace: team-a }
`,
);
const second = write(
  'second.yaml',
  `current-context: b
clusters:
  - name: c1
    cluster: { server: 'https://shadowed:6443' }
  - name: c2
    cluster: { server: 'https://two:6443', insecure-skip-tls-verify: true }
users:
  - name: u2
    user: { client-certificate: /abs/cert.pem, client-key: key.pem }
contexts:
  - name: b
    context: { cluster: c2, user: u2 }
`,
);
const home = join(dir, 'home');
mkdirSync(join(home, '.kube'), { recursive: true });
writeFileSync(join(home, '.kube', 'config'), 'current-context: a\n');
const emptyHome = join(dir, 'empty-home');

test('kubeconfig: --kubeconfig wins over KUBECONFIG and ~/.kube/config', () => {
  const found = findClusterConfig({ kubeconfig: second, env: { KUBECONFIG: first, HOME: home } });
  assert.deepEqual(found, { source: '--kubeconfig', files: [second] });
});

test('kubeconfig: KUBECONFIG lists skip missing files; ~/.kube/config is the fallback', () => {
  const env = { KUBECONFIG: `${join(dir, 'missing')}:${first}`, HOME: home };
  assert.deepEqual(findClusterConfig({ env }), { source: 'KUBECONFIG', files: [first] });
  assert.deepEqual(findClusterConfig({ env: { HOME: home } }), {
    source: '~/.kube/config',
    files: [join(home, '.kube', 'config')],
  });
  assert.equal(findClusterConfig({ env: { HOME: emptyHome } }), undefined);
});

test('kubeconfig: merged like kubectl, the first definition and current-context win', () => {
  const loaded = loadKubeConfig({ env: { KUBECONFIG: `${first}:${second}` } });
  assert.equal(loaded.context, 'a');
  assert.equal(loaded.server, 'https://one:6443', 'c1 from the first file, not shadowed');
  assert.equal(loaded.namespace, 'team-a');
  assert.equal(loaded.user.token, 't1');
  assert.equal(loaded.cluster['certificate-authority'], join(dir, 'certs', 'ca.crt'));
});

test('kubeconfig: --context selects a context from another file; relative paths resolved', () => {
  const loaded = loadKubeConfig({ context: 'b', env: { KUBECONFIG: `${first}:${second}` } });
  assert.equal(loaded.server, 'https://two:6443');
  assert.equal(loaded.namespace, 'default');
  assert.equal(loaded.cluster['insecure-skip-tls-verify'], true);
  assert.equal(loaded.user['client-certificate'], '/abs/cert.pem');
  assert.equal(loaded.user['client-key'], join(dir, 'key.pem'));
});

const errors: [string, () => unknown, RegExp][] = [
  ['no configuration', () => loadKubeConfig({ env: { HOME: emptyHome } }), /no cluster configured/],
  [
    'unknown --context',
    () => loadKubeConfig({ kubeconfig: first, context: 'zz', env: {} }),
    /--context zz: no such context .*\(contexts: a\)/,
  ],
  [
    'current-context undefined',
    () => loadKubeConfig({ env: { HOME: home } }),
    /current-context "a" is not defined/,
  ],
  [
    'unreadable YAML',
    () => loadKubeConfig({ kubeconfig: write('bad.yaml', 'clusters: [\n'), env: {} }),
    /kubeconfig .*bad\.yaml: /,
  ],
];
for (const [name, fn, message] of errors) {
  test(`kubeconfig: ${name} is a clear error`, () => assert.throws(fn, { message }));
}
