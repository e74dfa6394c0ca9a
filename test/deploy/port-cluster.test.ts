// The kube port on the sandbox: autoscaled workloads created at their minimum and released,
// drift reported with the other manager, refused credentials reported once (text and JSON).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import type { ApplyResult } from '../../src/deploy/events.ts';
import { managedFieldsOf } from '../../src/model/managed-fields.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { testKubeconfig, testNamespace } from '../support/cluster.ts';
import { until } from '../support/until.ts';
import { restrictedContainer, testClient } from './support.ts';

const yamlOf = (objects: readonly KubeObject[]): string =>
  objects.map((o) => stringify(o)).join('---\n');

async function berth(argv: string[], stdin: string, kubeconfig = testKubeconfig()) {
  const { io, captured } = memoryIO({ env: {}, stdin });
  const code = await runCli([...argv, '--kubeconfig', kubeconfig], io);
  return { code, ...captured };
}

function deployment(ns: string, name: string, replicas?: number): KubeObject {
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [restrictedContainer()] } },
    },
  };
}

test('port: an HPA-scaled Deployment without replicas is created at the HPA minimum and awaited at it', async (t) => {
  const ns = await testNamespace(t, { prefix: 'h2-replicas' });
  const hpa: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'backend', namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    },
  };
  const res = await berth(
    ['apply', '-', '--wait', '--timeout', '2m', '-o', 'json'],
    yamlOf([deployment(ns, 'backend'), hpa]),
  );
  assert.equal(res.code, 0, res.out + res.err);
  const result = JSON.parse(res.out) as ApplyResult;
  const backend = result.objects.find((o) => o.kind === 'Deployment');
  assert.equal(backend?.createdAtReplicas, 3);
  assert.equal(backend?.status, 'Current');
  const client = await testClient(t);
  // The wait ends on the ReplicaSets and pods (ADR 0150), possibly before the deployment
  // controller writes the same count into the Deployment's status.
  const live = await until(
    "the Deployment's status to count 3 ready replicas",
    async () => {
      const d = await client.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: ns,
        name: 'backend',
      });
      return (d?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 3
        ? d
        : undefined;
    },
    15_000,
  );
  const berthEntry = managedFieldsOf(live ?? { metadata: {} }).find((e) => e.manager === 'berth');
  assert.doesNotMatch(
    JSON.stringify(berthEntry?.fieldsV1),
    /f:replicas/,
    'berth released the replicas',
  );
  // A second apply is a no-op and does not touch the replicas.
  const again = await berth(['apply', '-', '-o', 'json'], yamlOf([deployment(ns, 'backend'), hpa]));
  assert.equal(again.code, 0);
  const after = await client.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ns,
    name: 'backend',
  });
  assert.equal(after?.metadata.resourceVersion, live?.metadata.resourceVersion);
});

test('port: a forced apply reports each field it takes back and from whom', async (t) => {
  const ns = await testNamespace(t, { prefix: 'h2-drift' });
  const web = deployment(ns, 'web', 1);
  assert.equal((await berth(['apply', '-'], yamlOf([web]))).code, 0);
  const client = await testClient(t);
  await client.patch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' },
    { spec: { replicas: 2 } },
    { type: 'merge', fieldManager: 'kubectl-scale' },
  );
  const res = await berth(['apply', '-'], yamlOf([web]));
  assert.equal(res.code, 0, res.out);
  assert.match(
    res.out,
    new RegExp(`drift {5}Deployment ${ns}/web: took back spec\\.replicas from "kubectl-scale"`),
  );
  const scale = await client.getScale({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ns,
    name: 'web',
  });
  assert.equal(scale.replicas, 1);
});

test('port: a refused token is one "credentials refused" error, exit 1; JSON with -o json', async () => {
  const config = parse(readFileSync(testKubeconfig(), 'utf8')) as {
    users: { name: string; user: Record<string, unknown> }[];
  };
  for (const u of config.users) u.user = { token: 'not-a-valid-token' };
  const bad = join(mkdtempSync(join(tmpdir(), 'berth-badtoken-')), 'config');
  writeFileSync(bad, stringify(config));
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'h2-never' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'h2-never' } },
  ] as KubeObject[];
  const text = await berth(['apply', '-'], yamlOf(objects), bad);
  assert.equal(text.code, 1);
  const lines = text.err.trim().split('\n');
  assert.equal(lines.length, 1, text.err);
  assert.match(
    lines[0] ?? '',
    /^error: credentials refused by https:\/\/\S+ \(context "[^"]+"\): Unauthorized/,
  );
  assert.doesNotMatch(text.out, /rejected/);
  const json = await berth(['apply', '-', '-o', 'json'], yamlOf(objects), bad);
  assert.equal(json.code, 1);
  const doc = JSON.parse(json.out) as Record<string, unknown>;
  assert.equal(doc.kind, 'Error');
  assert.equal(doc.reason, 'Unauthorized');
  assert.equal(doc.status, 401);
});
