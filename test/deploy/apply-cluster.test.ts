// berth apply against the sandbox: admission rejections, fail-fast on crash loops, no deadlock on
// WaitForFirstConsumer claims, CRDs and their resources in one apply, conflicts, dry run, up.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import type { ApplyResult } from '../../src/deploy/events.ts';
import type { KubeObject } from '../../src/model/object.ts';
import {
  applyObjects as applyAsOther,
  testKubeconfig,
  testNamespace,
  waitFor,
} from '../support/cluster.ts';
import {
  renderExample,
  restrictedContainer,
  testClient,
  uniqueSuffix,
  cleanUpAfter,
} from './support.ts';

const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const yamlOf = (objects: readonly KubeObject[]): string =>
  objects.map((o) => stringify(o)).join('---\n');

async function berth(argv: string[], stdin?: string) {
  const { io, captured } = memoryIO({ env: {}, ...(stdin !== undefined ? { stdin } : {}) });
  const code = await runCli([...argv, '--kubeconfig', testKubeconfig()], io);
  return { code, ...captured };
}

function deployment(
  ns: string,
  name: string,
  extra: { annotations?: Record<string, string>; volumes?: unknown[] } = {},
): KubeObject {
  const labels = { 'app.kubernetes.io/name': name };
  const container = restrictedContainer();
  if (extra.volumes) container.volumeMounts = [{ name: 'data', mountPath: '/data' }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
        spec: { containers: [container], ...(extra.volumes ? { volumes: extra.volumes } : {}) },
      },
    },
  };
}

test('apply: a privileged pod is rejected by admission; berth names it and quotes the server', async (t) => {
  const ns = await testNamespace(t, { labels: restricted });
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'privileged', namespace: ns },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/demo/app:1.0.0',
          securityContext: { privileged: true },
        },
      ],
    },
  };
  const text = await berth(['apply', '-'], yamlOf([pod]));
  assert.equal(text.code, 1);
  assert.match(
    text.out,
    new RegExp(
      `rejected  Pod ${ns}/privileged: pods "privileged" is forbidden: violates PodSecurity "restricted:latest": privileged`,
    ),
  );

  const json = await berth(['apply', '-', '-o', 'json'], yamlOf([pod]));
  assert.equal(json.code, 1);
  const result = JSON.parse(json.out) as ApplyResult;
  assert.equal(result.outcome, 'rejected');
  assert.equal(result.objects[0]?.action, 'rejected');
  assert.match(result.objects[0]?.error ?? '', /violates PodSecurity "restricted:latest"/);

  const dry = await berth(['apply', '-', '--dry-run=server'], yamlOf([pod]));
  assert.equal(dry.code, 1, 'server dry run runs admission too');
  assert.match(dry.out, /violates PodSecurity/);
});

const faults: [fault: string, reason: string][] = [
  ['crash-loop', 'CrashLoopBackOff'],
  ['image-pull', 'ImagePullBackOff'],
  ['config-error', 'CreateContainerConfigError'],
];
for (const [fault, reason] of faults) {
  test(`apply --wait: a workload whose pods hit ${reason} fails fast with the pod and its reason`, async (t) => {
    const ns = await testNamespace(t, { labels: restricted });
    const broken = deployment(ns, 'broken', { annotations: { 'berth.dev/sandbox-fault': fault } });
    const timeoutS = 120;
    const start = performance.now();
    const res = await berth(
      ['apply', '-', '--wait', '--timeout', `${timeoutS}s`, '-o', 'json'],
      yamlOf([broken]),
    );
    const elapsedS = (performance.now() - start) / 1000;
    assert.equal(res.code, 1, res.err);
    const result = JSON.parse(res.out) as ApplyResult;
    assert.equal(result.outcome, 'failed');
    const d = result.objects.find((o) => o.kind === 'Deployment');
    assert.equal(d?.status, 'Failed');
    assert.match(
      d?.reason ?? '',
      new RegExp(`pod broken-[a-z0-9]+-[a-z0-9]+: container app: ${reason}`),
    );
    assert.equal(d?.blockingPod?.reason, reason);
    assert.ok(
      elapsedS < timeoutS / 4,
      `failed after ${elapsedS.toFixed(1)} s, well before the ${timeoutS} s timeout`,
    );
  });
}

test('apply --wait: the text report names the crash-looping pod', async (t) => {
  const ns = await testNamespace(t, { labels: restricted });
  const broken = deployment(ns, 'crasher', {
    annotations: { 'berth.dev/sandbox-fault': 'crash-loop' },
  });
  const res = await berth(['apply', '-', '--wait', '--timeout', '60s'], yamlOf([broken]));
  assert.equal(res.code, 1);
  assert.match(
    res.out,
    new RegExp(
      `failed +Deployment ${ns}/crasher: .*pod crasher-\\S+: container app: CrashLoopBackOff; back-off 40s`,
    ),
  );
  assert.match(res.out, /Failed after [\d.]+s: 1 object\(s\) cannot become ready\./);
});

test('apply --wait: a WaitForFirstConsumer claim with its consumer in the same apply does not deadlock', async (t) => {
  const ns = await testNamespace(t, { labels: restricted });
  const claim: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: ns },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'standard-wffc',
      resources: { requests: { storage: '1Gi' } },
    },
  };
  const orphan: KubeObject = { ...claim, metadata: { name: 'unused', namespace: ns } };
  const consumer = deployment(ns, 'agent', {
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
  });
  const res = await berth(
    ['apply', '-', '--wait', '--timeout', '90s', '-o', 'json'],
    yamlOf([consumer, claim, orphan]),
  );
  assert.equal(res.code, 0, res.out + res.err);
  const result = JSON.parse(res.out) as ApplyResult;
  assert.equal(result.outcome, 'ready');
  const pvcs = result.objects.filter((o) => o.kind === 'PersistentVolumeClaim');
  assert.match(
    pvcs.find((p) => p.name === 'unused')?.reason ?? '',
    /WaitForFirstConsumer \(standard-wffc\).*no consumer in this apply/,
  );
  assert.match(
    pvcs.find((p) => p.name === 'data')?.reason ?? '',
    /Bound|consumer Deployment .*\/agent is awaited instead/,
  );
  const client = await testClient(t);
  await waitFor('the consumed claim to bind', async () => {
    const live = await client.get({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      namespace: ns,
      name: 'data',
    });
    return (live?.status as { phase?: string } | undefined)?.phase === 'Bound' ? true : undefined;
  });
});

test('apply: a CRD and its custom resources in one apply (CRD Established first)', async (t) => {
  const client = await testClient(t);
  const ns = await testNamespace(t);
  const group = `${uniqueSuffix()}.berth.dev`;
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      ],
    },
  };
  const widget: KubeObject = {
    apiVersion: `${group}/v1`,
    kind: 'Widget',
    metadata: { name: 'w', namespace: ns },
    spec: { size: 3 },
  };
  cleanUpAfter(t, client, [crd]);
  const res = await berth(['apply', '-', '--wait', '--timeout', '60s'], yamlOf([widget, crd]));
  assert.equal(res.code, 0, res.out + res.err);
  assert.match(res.out, /ready +CustomResourceDefinition widgets\./);
  assert.match(res.out, new RegExp(`applied   Widget ${ns}/w`));
  assert.ok(
    await client.get({ apiVersion: `${group}/v1`, kind: 'Widget', namespace: ns, name: 'w' }),
  );
});

test('apply: field conflicts are taken over by default and reported with --no-force-conflicts', async (t) => {
  const client = await testClient(t);
  const ns = await testNamespace(t);
  const cm = (value: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: ns },
    data: { mode: value },
  });
  await applyAsOther([cm('other')]);
  const strict = await berth(['apply', '-', '--no-force-conflicts'], yamlOf([cm('berth')]));
  assert.equal(strict.code, 1);
  assert.match(
    strict.out,
    new RegExp(`rejected  ConfigMap ${ns}/settings: .*conflict.*berth-test`, 'i'),
  );
  const forced = await berth(['apply', '-'], yamlOf([cm('berth')]));
  assert.equal(forced.code, 0, forced.out);
  const live = await client.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: ns,
    name: 'settings',
  });
  assert.equal((live?.data as { mode?: string }).mode, 'berth');
});

test('apply --dry-run=server persists nothing', async (t) => {
  const client = await testClient(t);
  const ns = await testNamespace(t);
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'dry', namespace: ns },
    data: { a: '1' },
  };
  const res = await berth(['apply', '-', '--dry-run=server'], yamlOf([cm]));
  assert.equal(res.code, 0, res.out);
  assert.match(res.out, /server dry run: nothing was persisted/);
  assert.equal(
    await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'dry' }),
    undefined,
  );
});

test('up: deploys rendered manifests on the configured cluster and prints what runs where', async (t) => {
  const client = await testClient(t);
  const objects = await renderExample('openclaw-agents', uniqueSuffix());
  cleanUpAfter(t, client, objects);
  const dir = mkdtempSync(join(tmpdir(), 'berth-up-'));
  writeFileSync(join(dir, 'platform.yaml'), yamlOf(objects));
  const res = await berth(['up', dir, '--timeout', '3m']);
  assert.equal(res.code, 0, res.out + res.err);
  assert.doesNotMatch(res.out, /starting the berth sandbox/, 'a configured cluster is used');
  const table = res.out.slice(res.out.indexOf('WORKLOAD'));
  assert.match(table, /^WORKLOAD\s+NAMESPACE\s+READY\s+NODES$/m);
  const workloads = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind));
  for (const w of workloads)
    assert.match(
      table,
      new RegExp(
        `^${w.kind.toLowerCase()}/${w.metadata.name}\\s+${w.metadata.namespace ?? ''}\\s+(\\d+)/\\1\\s+\\S+`,
        'm',
      ),
    );
});

test('up: with no cluster configured it uses the sandbox and says so', async (t) => {
  // The sandbox `up` would start is the test cluster itself (npm test runs one), found through
  // BERTH_SANDBOX_STATE and --sandbox; being already up, it is used, not started again.
  const kubeconfig = testKubeconfig();
  const runDir = dirname(kubeconfig);
  assert.ok(
    existsSync(join(runDir, 'state.json')),
    `this test needs the test cluster to be a berth sandbox (npm test starts one), not ${kubeconfig}`,
  );
  const client = await testClient(t);
  const objects = await renderExample('archon', uniqueSuffix());
  cleanUpAfter(t, client, objects);
  const dir = mkdtempSync(join(tmpdir(), 'berth-up-sandbox-'));
  writeFileSync(join(dir, 'platform.yaml'), yamlOf(objects));
  const env = {
    HOME: mkdtempSync(join(tmpdir(), 'berth-nohome-')),
    BERTH_SANDBOX_STATE: dirname(runDir),
    BERTH_SANDBOX_CACHE:
      process.env.BERTH_SANDBOX_CACHE ?? join(homedir(), '.cache', 'berth', 'sandbox'),
  };
  const { io, captured } = memoryIO({ env });
  const code = await runCli(['up', dir, '--sandbox', basename(runDir), '--timeout', '2m'], io);
  assert.equal(code, 0, captured.out + captured.err);
  assert.match(captured.out, /^No cluster configured .*: starting the berth sandbox\.$/m);
  assert.match(captured.out, new RegExp(`Sandbox already running \\(kubeconfig ${kubeconfig}\\)`));
  assert.match(captured.out, /^WORKLOAD\s+NAMESPACE\s+READY\s+NODES$/m);
});
