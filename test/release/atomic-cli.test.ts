// Acceptance (issue 7 §7) through the CLI on the sandbox: `berth upgrade --atomic` to an image that
// crash-loops brings the previous image back, every pod Ready, and history shows the failed and
// the restoring revisions. `upgrade` only changes the image, so the fault annotation that makes
// kwok crash-loop a pod (docs/sandbox.md) is put on the pods of that image by a
// MutatingAdmissionPolicy (GA in Kubernetes 1.36) scoped to the test's namespace: the API server
// itself decides, as a broken image would on a real cluster.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { memoryIO } from '../../src/cli/test-io.ts';
import type { KubeApi } from '../../src/kube/api.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { testKubeconfig } from '../support/cluster.ts';
import { cleanUpAfter, renderExample, testClient, uniqueSuffix } from '../deploy/support.ts';
import { imageOf } from './support.ts';

async function berth(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, captured } = memoryIO();
  const code = await runCli([...argv, '--kubeconfig', testKubeconfig()], io);
  return { code, ...captured };
}

const fault = 'berth.dev/sandbox-fault';

/**
 * Pods created in `namespace` with an image ending in `tag` get the crash-loop fault annotation.
 * Resolves once the API server applies the policy (a server-side dry-run create shows it).
 */
async function crashLoopImagesTagged(
  t: TestContext,
  api: KubeApi,
  namespace: string,
  tag: string,
): Promise<void> {
  const name = `berth-test-crash-${namespace}`;
  const w = { fieldManager: 'berth-test' };
  const group = 'admissionregistration.k8s.io/v1';
  await api.create(
    {
      apiVersion: group,
      kind: 'MutatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        reinvocationPolicy: 'Never',
        matchConstraints: {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
          ],
        },
        matchConditions: [
          {
            name: 'crash-image',
            expression: `object.spec.containers.exists(c, c.image.endsWith('${tag}'))`,
          },
        ],
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: {
              expression: `Object{metadata: Object.metadata{annotations: {"${fault}": "crash-loop"}}}`,
            },
          },
        ],
      },
    },
    w,
  );
  await api.create(
    {
      apiVersion: group,
      kind: 'MutatingAdmissionPolicyBinding',
      metadata: { name },
      spec: { policyName: name },
    },
    w,
  );
  t.after(async () => {
    await api.delete({ apiVersion: group, kind: 'MutatingAdmissionPolicyBinding', name });
    await api.delete({ apiVersion: group, kind: 'MutatingAdmissionPolicy', name });
  });
  const probe = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'probe', namespace },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'c',
          image: `registry.example/probe${tag}`,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const seen = await api.create(probe, { ...w, dryRun: true });
    if (seen.metadata.annotations?.[fault] === 'crash-loop') return;
    if (Date.now() > deadline) throw new Error('the MutatingAdmissionPolicy never took effect');
    await sleep(500);
  }
}

test('release CLI on the sandbox: upgrade --atomic to a crash-looping image restores the previous one', async (t) => {
  const api = await testClient(t);
  const suffix = uniqueSuffix();
  const objects = await renderExample('openclaw-agents', suffix);
  cleanUpAfter(t, api, objects);
  const ns = `bots-${suffix}`;
  const rel = `oc-${suffix}`;
  const file = join(mkdtempSync(join(tmpdir(), 'berth-atomic-')), 'objects.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  const target = objects.find((o) => o.kind === 'Deployment') as KubeObject;
  const component = target.metadata.labels?.['berth.dev/component'] as string;
  const before = imageOf(target);

  const applied = await berth(
    'apply',
    file,
    '--release',
    rel,
    '-n',
    ns,
    '--wait',
    '--timeout',
    '3m',
  );
  assert.equal(applied.code, 0, applied.out + applied.err);
  await crashLoopImagesTagged(t, api, ns, ':crash');

  const up = await berth(
    'upgrade',
    `${rel}/${component}`,
    '--image',
    'registry.example/agent:crash',
    '--atomic',
    '--timeout',
    '2m',
  );
  assert.equal(up.code, 1, up.out + up.err);
  assert.match(up.out, new RegExp(`release ${rel}: revision 2 failed`));
  assert.match(
    up.out,
    new RegExp(
      `rolled back: revision 3 restores revision 1 \\(deployed\\); failed: Deployment ${ns}/${target.metadata.name} \\(.*CrashLoopBackOff`,
    ),
  );

  const ref = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ns,
    name: target.metadata.name,
  };
  assert.equal(imageOf(await api.get(ref)), before, 'the previous image is back');
  const pods = (await api.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns })).items.filter(
    (p) =>
      !p.metadata.deletionTimestamp && p.metadata.labels?.['berth.dev/component'] === component,
  );
  assert.ok(pods.length > 0);
  for (const p of pods) {
    assert.equal(p.metadata.annotations?.[fault], undefined, `${p.metadata.name} is not faulty`);
    const ready = (p.status as { conditions?: { type: string; status: string }[] }).conditions;
    assert.ok(
      ready?.some((c) => c.type === 'Ready' && c.status === 'True'),
      `${p.metadata.name} Ready`,
    );
  }
  const status = await berth('status', rel);
  assert.equal(status.code, 0, status.out + status.err);

  const history = await berth('history', rel, '-o', 'json');
  assert.equal(history.code, 0, history.err);
  const revisions = (
    JSON.parse(history.out) as {
      revisions: { revision: number; status: string; description: string; restoredFrom?: number }[];
    }
  ).revisions;
  assert.deepEqual(
    revisions.map((r) => `${r.revision}:${r.status}`),
    ['1:superseded', '2:failed', '3:deployed'],
  );
  assert.match(revisions[1]?.description ?? '', /upgrade .*image registry\.example\/agent:crash/);
  assert.equal(revisions[2]?.restoredFrom, 1);
  assert.match(revisions[2]?.description ?? '', /rollback to 1 \(--atomic: revision 2 failed\)/);
});
