// What a rollback applies first (ADR 0151): the changed objects and what their pods use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import { planLead } from './lead.ts';

const ns = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});
const obj = (kind: string, name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: kind === 'ExternalSecret' ? 'external-secrets.io/v1' : 'v1',
  kind,
  metadata: { name, namespace: 'bots' },
  ...extra,
});
function deployment(name: string, image: string, pod: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'bots' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image, ...pod }], serviceAccountName: name },
      },
    },
  };
}
const keys = (set: ReadonlySet<string> | undefined) => [...(set ?? [])].sort();

const uses = {
  env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 't' } } }],
  envFrom: [{ configMapRef: { name: 'api-env' } }],
  volumeMounts: [],
};
const current = [
  ns('bots'),
  obj('ServiceAccount', 'api'),
  obj('ServiceAccount', 'web'),
  obj('ConfigMap', 'api-env', { data: { A: '1' } }),
  obj('ConfigMap', 'web-env', { data: { B: '1' } }),
  obj('ExternalSecret', 'api-token', { spec: { target: { name: 'api-token' } } }),
  obj('NetworkPolicy', 'api', { spec: { podSelector: {} } }),
  deployment('api', 'api:2', uses),
  deployment('web', 'web:1'),
];

test('the changed Deployment leads, with its namespace, service account, config and the maker of its secret', () => {
  const target = current.map((o) =>
    o.metadata.name === 'api' && o.kind === 'Deployment' ? deployment('api', 'api:1', uses) : o,
  );
  const plan = planLead(target, current);
  assert.equal(plan?.changed, 1);
  assert.deepEqual(
    keys(plan?.lead),
    [
      'Namespace//bots',
      'ServiceAccount/bots/api',
      'apps/Deployment/bots/api',
      'ConfigMap/bots/api-env',
      'external-secrets.io/ExternalSecret/bots/api-token',
    ].sort(),
  );
});

test('a changed ConfigMap leads with its namespace; what uses it follows unchanged', () => {
  const target = current.map((o) =>
    o.metadata.name === 'web-env' ? obj('ConfigMap', 'web-env', { data: { B: '2' } }) : o,
  );
  assert.deepEqual(keys(planLead(target, current)?.lead), [
    'ConfigMap/bots/web-env',
    'Namespace//bots',
  ]);
});

test('an object the rollback creates leads', () => {
  const target = [...current, obj('ConfigMap', 'new')];
  assert.deepEqual(keys(planLead(target, current)?.lead), [
    'ConfigMap/bots/new',
    'Namespace//bots',
  ]);
});

test('key order does not make an object changed (records are read back as JSON)', () => {
  const reordered = current.map(
    (o) => Object.fromEntries(Object.entries(o).reverse()) as KubeObject,
  );
  assert.equal(planLead(reordered, current), undefined);
});

test('nothing to lead when nothing or everything changes', () => {
  assert.equal(planLead(current, current), undefined);
  const all = current.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { v: '2' } } }));
  assert.equal(planLead(all, current), undefined);
});
