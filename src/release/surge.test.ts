import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import { planSurge } from './surge.ts';

const deployment = (name: string, image: string, strategy?: unknown): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'web' },
  spec: {
    replicas: 3,
    ...(strategy ? { strategy } : {}),
    template: { spec: { containers: [{ name, image }] } },
  },
});
const rolling = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } };

test('surge: only Deployments whose template the rollback changes surge fully, maxUnavailable kept', () => {
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
  const target = [
    cm,
    deployment('api', 'api:1', rolling),
    deployment('web', 'web:1', rolling),
    deployment('bot', 'bot:1', { type: 'Recreate' }),
    deployment('plain', 'plain:1'),
  ];
  const current = [
    cm,
    deployment('api', 'api:2', rolling),
    deployment('web', 'web:1', rolling),
    deployment('bot', 'bot:2', { type: 'Recreate' }),
    deployment('plain', 'plain:2'),
  ];
  const plan = planSurge(target, current);
  assert.ok(plan);
  assert.deepEqual(
    plan.declared.map((o) => o.metadata.name),
    ['api', 'plain'],
  );
  const strategy = (name: string) =>
    (plan.objects.find((o) => o.metadata.name === name)?.spec as { strategy?: unknown }).strategy;
  assert.deepEqual(strategy('api'), {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
  });
  assert.deepEqual(strategy('plain'), {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: '100%' },
  });
  assert.deepEqual(strategy('web'), rolling, 'unchanged template: left as declared');
  assert.deepEqual(strategy('bot'), { type: 'Recreate' }, 'Recreate cannot surge');
  assert.equal(plan.objects[0], cm);
  // The declared objects are untouched (the second pass and the revision use them).
  assert.deepEqual((target[1]?.spec as { strategy: unknown }).strategy, rolling);
});

test('surge: a Deployment the rollback creates does not surge; nothing changed is undefined', () => {
  assert.equal(planSurge([deployment('api', 'api:1', rolling)], []), undefined);
  assert.equal(
    planSurge([deployment('api', 'api:1', rolling)], [deployment('api', 'api:1', rolling)]),
    undefined,
  );
});
