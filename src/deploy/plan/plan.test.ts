import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../model/object.ts';
import { checkObjects, findPvcConsumers, phaseOf, planApply, planLedApply } from './index.ts';

const o = (apiVersion: string, kind: string, name: string, namespace?: string, extra = {}) =>
  ({
    apiVersion,
    kind,
    metadata: namespace ? { name, namespace } : { name },
    ...extra,
  }) as KubeObject;

const agent = o('apps/v1', 'Deployment', 'clovis', 'bots', {
  spec: {
    template: {
      spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'clovis-data' } }] },
    },
  },
});

test('plan: phases in order, namespaces and CRDs first, workloads last', () => {
  const objects = [
    agent,
    o('v1', 'Service', 'clovis', 'bots'),
    o('external-secrets.io/v1', 'ExternalSecret', 'clovis', 'bots'),
    o('v1', 'PersistentVolumeClaim', 'clovis-data', 'bots'),
    o('keda.sh/v1alpha1', 'ScaledObject', 'pool', 'bots'),
    o('v1', 'Namespace', 'bots'),
    o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', undefined, {
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    }),
    o('rbac.authorization.k8s.io/v1', 'RoleBinding', 'clovis', 'bots'),
    o('networking.k8s.io/v1', 'NetworkPolicy', 'default-deny', 'bots'),
    o('v1', 'ConfigMap', 'clovis', 'bots'),
  ];
  const plan = planApply(objects);
  const names = plan.phases.map((p) => [p.phase, p.objects.map((x) => x.kind)]);
  assert.deepEqual(names, [
    ['cluster', ['Namespace', 'CustomResourceDefinition']],
    [
      'config',
      ['ConfigMap', 'PersistentVolumeClaim', 'RoleBinding', 'NetworkPolicy', 'ExternalSecret'],
    ],
    ['workloads', ['Service', 'Deployment', 'ScaledObject']],
  ]);
  assert.deepEqual(plan.crdBackedKinds, ['example.com/Widget']);
});

test('plan: deterministic whatever the input order', () => {
  const objects = [
    o('v1', 'ConfigMap', 'b', 'x'),
    o('v1', 'ConfigMap', 'a', 'y'),
    o('v1', 'ConfigMap', 'a', 'x'),
  ];
  const a = JSON.stringify(planApply(objects));
  const b = JSON.stringify(planApply([...objects].reverse()));
  assert.equal(a, b);
  assert.deepEqual(
    planApply(objects).phases[0]?.objects.map((x) => `${x.metadata.namespace}/${x.metadata.name}`),
    ['x/a', 'x/b', 'y/a'],
  );
});

const phaseCases: [string, string, string][] = [
  ['v1', 'Namespace', 'cluster'],
  ['storage.k8s.io/v1', 'StorageClass', 'cluster'],
  ['v1', 'Secret', 'config'],
  ['v1', 'ServiceAccount', 'config'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'config'],
  ['batch/v1', 'Job', 'workloads'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'workloads'],
  ['argoproj.io/v1alpha1', 'Application', 'workloads'],
  ['example.com/v1', 'Secret', 'workloads'],
];
for (const [apiVersion, kind, phase] of phaseCases) {
  test(`plan: ${apiVersion} ${kind} goes in phase ${phase}`, () => {
    assert.equal(phaseOf({ apiVersion, kind }), phase);
  });
}

test('plan: PVC consumers are found in every pod-bearing kind', () => {
  const cron = o('batch/v1', 'CronJob', 'backup', 'bots', {
    spec: {
      jobTemplate: {
        spec: {
          template: {
            spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'clovis-data' } }] },
          },
        },
      },
    },
  });
  const bare = o('v1', 'Pod', 'debug', undefined, {
    spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'scratch' } }] },
  });
  const consumers = findPvcConsumers([agent, cron, bare, o('v1', 'ConfigMap', 'x', 'bots')], 'ns1');
  assert.deepEqual(
    consumers.get('bots/clovis-data')?.map((r) => r.kind),
    ['Deployment', 'CronJob'],
  );
  assert.deepEqual(
    consumers.get('ns1/scratch')?.map((r) => r.name),
    ['debug'],
  );
  assert.equal(consumers.size, 2);
});

test('plan: structural problems are all reported', () => {
  const diags = checkObjects(
    [
      o('v1', 'ConfigMap', 'a', 'x'),
      { apiVersion: 'v1', kind: '', metadata: { name: '' } },
      o('v1', 'ConfigMap', 'a', 'x'),
    ],
    'input.yaml',
  );
  assert.deepEqual(
    diags.map((d) => d.message),
    [
      'input.yaml: document 2: missing kind, metadata.name',
      'input.yaml: document 3: ConfigMap x/a appears more than once',
    ],
  );
});

test('plan: a led apply runs the phases of the lead, then those of the rest (ADR 0151)', () => {
  const objects = [
    o('v1', 'Namespace', 'bots'),
    o('v1', 'ConfigMap', 'a', 'bots'),
    o('v1', 'ConfigMap', 'b', 'bots'),
    o('apps/v1', 'Deployment', 'a', 'bots'),
    o('apps/v1', 'Deployment', 'b', 'bots'),
  ];
  const lead = new Set(['Namespace/bots', 'ConfigMap/a', 'Deployment/a']);
  const plan = planLedApply(objects, (x) => lead.has(`${x.kind}/${x.metadata.name}`));
  assert.deepEqual(
    plan.phases.map(
      (p) => `${p.lane}:${p.phase}:${p.objects.map((x) => x.metadata.name).join(',')}`,
    ),
    [
      'changed:cluster:bots',
      'changed:config:a',
      'changed:workloads:a',
      'unchanged:config:b',
      'unchanged:workloads:b',
    ],
  );
  // Everything (or nothing) in the lead: one lane, as planApply.
  assert.deepEqual(
    planLedApply(objects, () => true),
    planApply(objects),
  );
  assert.deepEqual(
    planLedApply(objects, () => false),
    planApply(objects),
  );
});
