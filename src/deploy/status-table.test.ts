import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import { formatTable, workloadRows } from './status-table.ts';

const labels = { app: 'api' };
const workloads: KubeObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'vapora' },
    spec: { replicas: 2, selector: { matchLabels: labels } },
    status: { readyReplicas: 2 },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'nats', namespace: 'vapora' },
    spec: { selector: { matchLabels: { app: 'nats' } } },
    status: { readyReplicas: 0 },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'vapora' } },
];
const pod = (name: string, node: string, l = labels): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'vapora', labels: l },
  spec: { nodeName: node },
});

test('status table: one row per workload with ready counts and distinct nodes', () => {
  const rows = workloadRows(workloads, [
    pod('api-1', 'kwok-node-1'),
    pod('api-2', 'kwok-node-0'),
    pod('api-3', 'kwok-node-1'),
  ]);
  assert.deepEqual(rows, [
    {
      workload: 'deployment/api',
      namespace: 'vapora',
      ready: '2/2',
      nodes: ['kwok-node-0', 'kwok-node-1'],
    },
    { workload: 'statefulset/nats', namespace: 'vapora', ready: '0/1', nodes: [] },
  ]);
  assert.equal(
    formatTable(rows),
    [
      'WORKLOAD          NAMESPACE  READY  NODES',
      'deployment/api    vapora     2/2    kwok-node-0,kwok-node-1',
      'statefulset/nats  vapora     0/1    -',
      '',
    ].join('\n'),
  );
});

test('status table: Ready pods the wait saw count before the controller writes its status', () => {
  const readyPod = (name: string): KubeObject => ({
    ...pod(name, 'kwok-node-0', { app: 'nats' }),
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const rows = workloadRows(workloads, [
    readyPod('nats-0'),
    pod('nats-1', 'kwok-node-1', { app: 'nats' }),
  ]);
  assert.equal(rows.find((r) => r.workload === 'statefulset/nats')?.ready, '1/1');
});
