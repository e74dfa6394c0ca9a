import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheRoot, checkSandboxName, sandboxPaths, stateRoot } from './paths.ts';

const cases = [
  {
    name: 'HOME only',
    env: { HOME: '/home/u' },
    cache: '/home/u/.cache/berth/sandbox',
    state: '/home/u/.local/state/berth/sandbox',
  },
  {
    name: 'XDG folders',
    env: { HOME: '/home/u', XDG_CACHE_HOME: '/xc', XDG_STATE_HOME: '/xs' },
    cache: '/xc/berth/sandbox',
    state: '/xs/berth/sandbox',
  },
  {
    name: 'berth overrides win',
    env: {
      HOME: '/home/u',
      XDG_CACHE_HOME: '/xc',
      BERTH_SANDBOX_CACHE: '/bc',
      BERTH_SANDBOX_STATE: '/bs',
    },
    cache: '/bc',
    state: '/bs',
  },
];

for (const c of cases)
  test(`sandbox folders: ${c.name}`, () => {
    assert.equal(cacheRoot(c.env), c.cache);
    assert.equal(stateRoot(c.env), c.state);
  });

test('sandboxPaths: programs per Kubernetes version, run folder per name', () => {
  const paths = sandboxPaths({ name: 'demo', kubernetesVersion: 'v1.36.3', env: { HOME: '/h' } });
  assert.equal(paths.binDir, '/h/.cache/berth/sandbox/v1.36.3/bin');
  assert.equal(paths.runDir, '/h/.local/state/berth/sandbox/demo');
  assert.equal(paths.kubeconfig, '/h/.local/state/berth/sandbox/demo/kubeconfig');
});

test('sandbox names: lowercase letters, digits and dashes only', () => {
  assert.equal(checkSandboxName('test-123'), 'test-123');
  for (const bad of ['', 'Upper', '../x', '-lead', 'a'.repeat(41)])
    assert.throws(() => checkSandboxName(bad), /sandbox name .* is not valid/, bad);
});

test('sandbox folders: no HOME and no override is a clear error', () => {
  assert.throws(() => cacheRoot({}), /HOME is not set/);
});
