import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxSourceDir, sandboxVersions } from './versions.ts';

// sandbox/versions.json is the single pin; the build module must require exactly those versions.
test('sandbox/build/go.mod requires the versions pinned in sandbox/versions.json', () => {
  const versions = sandboxVersions();
  const goMod = readFileSync(join(sandboxSourceDir, 'build', 'go.mod'), 'utf8');
  const required = (module: string) =>
    new RegExp(`^\\s*${module.replaceAll('.', '\\.')} (\\S+)$`, 'm').exec(goMod)?.[1];
  assert.equal(required('k8s.io/kubernetes'), versions.kubernetes);
  assert.equal(required('sigs.k8s.io/kwok'), versions.kwok);
  assert.equal(required('go.etcd.io/etcd/server/v3'), versions.etcd);
});

test('sandbox/build/go.mod replaces every staging module with the matching v0 release', () => {
  const { kubernetes } = sandboxVersions();
  const staging = `v0.${kubernetes.slice('v1.'.length)}`;
  const goMod = readFileSync(join(sandboxSourceDir, 'build', 'go.mod'), 'utf8');
  const replaces = [...goMod.matchAll(/^\s*(k8s\.io\/\S+) => (\S+) (\S+)$/gm)];
  assert.ok(replaces.length >= 20, `only ${replaces.length} replace lines`);
  for (const [, from, to, version] of replaces) {
    assert.equal(to, from);
    assert.equal(version, staging, `${from}`);
  }
  for (const module of ['k8s.io/api', 'k8s.io/client-go', 'k8s.io/apiserver', 'k8s.io/kubectl'])
    assert.ok(
      replaces.some(([, from]) => from === module),
      `${module} is not replaced`,
    );
});
