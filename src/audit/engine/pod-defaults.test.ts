import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPodDefaults } from './pod-defaults.ts';
import { evaluatePodSecurity, type PodSecurityPolicy } from './pod-security.ts';
import type { PodSpec } from './pods.ts';

const policy = (level: 'baseline' | 'restricted'): PodSecurityPolicy => ({
  level,
  version: { minor: 36, latest: false },
});
const noMeta = { labels: {}, annotations: {} };
const hardened = (extra: Partial<PodSpec> = {}): PodSpec => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      ports: [{ containerPort: 8080 }],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
  ...extra,
});
const ids = (level: 'baseline' | 'restricted', spec: PodSpec): string[] =>
  evaluatePodSecurity(policy(level), noMeta, spec).map((v) => v.id);

test('a volume with only a name is an emptyDir for admission (allowed under restricted)', () => {
  assert.deepEqual(ids('restricted', hardened({ volumes: [{ name: 'scratch' }] })), []);
  assert.deepEqual(applyPodDefaults({ volumes: [{ name: 'scratch' }] }).volumes, [
    { name: 'scratch', emptyDir: {} },
  ]);
});

test('with hostNetwork, container ports become host ports before admission', () => {
  assert.deepEqual(ids('baseline', hardened({ hostNetwork: true })), [
    'hostNamespaces',
    'hostPorts',
  ]);
  assert.deepEqual(ids('baseline', hardened()), []);
});

test('defaulting never changes its input and leaves complete specs alone', () => {
  const spec = hardened({ hostNetwork: true, volumes: [{ name: 'v' }] });
  const before = JSON.stringify(spec);
  applyPodDefaults(spec);
  assert.equal(JSON.stringify(spec), before);
  const complete = hardened({ volumes: [{ name: 'c', configMap: { name: 'x' } }] });
  assert.equal(applyPodDefaults(complete), complete);
});
