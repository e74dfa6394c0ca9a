import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectors } from './detectors/index.ts';
import { watchdogRbac } from './rbac.ts';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const rulesOf = (objects: ReturnType<typeof watchdogRbac>, name: RegExp): Rule[] =>
  objects
    .filter((o) => /Role$/.test(o.kind) && name.test(o.metadata.name))
    .flatMap((o) => (o as unknown as { rules: Rule[] }).rules);

test('notify-only: reads only, no write role, no Secrets, no nodes/proxy or exec', () => {
  const objects = watchdogRbac({ namespace: 'berth-system', detectors, actions: [], include: [] });
  assert.ok(!objects.some((o) => o.metadata.name.endsWith('-act')));
  const reads = rulesOf(objects, /-read$/);
  const resources = reads.flatMap((r) => r.resources);
  assert.ok(!resources.includes('secrets'));
  assert.ok(!resources.some((r) => r === 'nodes/proxy' || r === 'pods/exec'));
  assert.ok(reads.every((r) => r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))));
});

test('writes follow the allowlist, bound per included namespace', () => {
  const objects = watchdogRbac({
    namespace: 'wd',
    detectors,
    actions: ['rollout-restart'],
    include: ['bots', 'api'],
  });
  assert.deepEqual(rulesOf(objects, /-act$/), [
    {
      apiGroups: ['apps'],
      resources: ['deployments', 'statefulsets', 'daemonsets'],
      verbs: ['patch'],
    },
  ]);
  assert.deepEqual(
    objects
      .filter((o) => o.kind === 'RoleBinding' && o.metadata.name.endsWith('-act'))
      .map((o) => o.metadata.namespace),
    ['bots', 'api'],
  );
  assert.ok(
    !objects.some((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name.endsWith('-act')),
  );
});

test('TLS Secrets only when asked for', () => {
  const objects = watchdogRbac({
    namespace: 'wd',
    detectors,
    actions: [],
    include: [],
    tlsSecrets: true,
  });
  assert.ok(rulesOf(objects, /-read$/).some((r) => r.resources.includes('secrets')));
});
