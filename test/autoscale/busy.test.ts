// An agent marks its own pod busy with the pod-bound token of `scaling.busyToken` (ADR 0135), on
// the sandbox: the documented curl line sets the annotation on its own pod; the admission policy
// refuses another pod, any other change, a bad value and a token bound to no pod; the autoscaler
// then removes only the idle pods. kwok pods run no containers, so the test mints the token the
// kubelet would project (TokenRequest, boundObjectRef kind Pod) and acts as the agent.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { KubeApi } from '../../src/kube/api.ts';
import { connectKube } from '../../src/kube/connect.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { BUSY_TOKEN_DIR } from '../../src/render/busy.ts';
import { serviceAccountKubeConfig, testKubeConfig, waitFor } from '../support/cluster.ts';
import { startNats, type Cleanup } from '../support/servers.ts';
import {
  adminApi,
  agentToken,
  autoscalerKubeconfig,
  deployDeveloper,
  natsQueue,
  replicasOf,
  startAutoscaler,
  suffix,
  vapora,
} from './support.ts';

const fast = { timeoutMs: 90_000, intervalMs: 250 };
const BUSY = 'berth.dev/busy';

/** The agent's command from docs/autoscale.md, pointed at `dir` and the test cluster. */
async function documentedCurl(dir: string, server: string): Promise<string> {
  const doc = await readFile(join(import.meta.dirname, '..', '..', 'docs', 'autoscale.md'), 'utf8');
  const block = /```sh\n(D=\/var\/run\/secrets\/berth\.dev\/busy\n[\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/autoscale.md shows the curl line an agent runs');
  assert.ok(block.startsWith(`D=${BUSY_TOKEN_DIR}\n`), 'the documented directory is the mount');
  return block
    .replace(`D=${BUSY_TOKEN_DIR}`, `D=${dir}`)
    .replace('https://kubernetes.default.svc', server);
}

const run = promisify(execFile);
const sh = (script: string) =>
  run('sh', ['-c', script], { timeout: 10_000 }).then(
    () => 0,
    (e: { code?: number }) => e.code ?? -1,
  );

/** How a write ends: 'ok', or the error's class and message. */
async function attempt(api: KubeApi, pod: string, ns: string, patch: unknown): Promise<string> {
  return api
    .patch({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pod }, patch, {
      type: 'merge',
      fieldManager: 'agent',
      deadline: Date.now() + 5_000,
    })
    .then(
      () => 'ok',
      (e: Error) => `${e.name}: ${e.message}`,
    );
}

test('an agent sets berth.dev/busy on its own pod and nothing else; the autoscaler spares it', async (t) => {
  const ws = await vapora(suffix(), (p) => {
    assert.equal(p.spec.scaling.busyToken, true, 'vapora pools opt in');
    p.spec.minReplicas = 1;
    p.spec.maxReplicas = 4;
    p.spec.scaling.down.cooldownSeconds = 2;
  });
  const objects = await deployDeveloper(t, ws);
  assert.ok(
    objects.some((o) => o.kind === 'ValidatingAdmissionPolicy'),
    'the policy is rendered and applied',
  );
  const ns = ws.components.find((c) => c.name === 'developer')?.namespace ?? '';
  const admin = await adminApi(t);
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ns,
    name: 'developer',
  };
  await admin.patch(
    deployment,
    { spec: { replicas: 3 } },
    { type: 'merge', fieldManager: 'berth-test', deadline: Date.now() + 5_000 },
  );
  const running = async (): Promise<KubeObject[]> =>
    (await admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns })).items.filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        (p.status as { phase?: string } | undefined)?.phase === 'Running',
    );
  const [own, other, third] = await waitFor(
    '3 running pods',
    async () => {
      const pods = await running();
      return pods.length === 3 ? pods : undefined;
    },
    fast,
  );
  assert.ok(own && other && third);
  const spec = own.spec as { automountServiceAccountToken?: boolean; volumes?: { name: string }[] };
  assert.equal(spec.automountServiceAccountToken, false, 'no automounted token');
  assert.ok(
    spec.volumes?.some((v) => v.name === 'berth-busy-token'),
    'the projected token',
  );

  const agent = await agentToken(t, admin, own);
  const server = testKubeConfig().getCurrentCluster()?.server ?? '';
  const curl = await documentedCurl(agent.dir, server);
  assert.equal(await sh(curl), 0, 'the documented curl line succeeds on the own pod');
  const live = await admin.get({
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: ns,
    name: own.metadata.name,
  });
  assert.equal(live?.metadata.annotations?.[BUSY], 'true');

  const api = await connectKube({ kubeconfig: agent.kubeconfig, env: {} });
  t.after(() => api.close());
  const busy = (v: string | null) => ({ metadata: { annotations: { [BUSY]: v } } });
  const name = own.metadata.name;
  // The API server enforces a new admission policy once its policy informer has it (about a
  // second on a fresh server): probe with a harmless annotation of our own until it is refused.
  for (let i = 0, until = Date.now() + 30_000; ; i++) {
    const probe = await attempt(api, name, ns, {
      metadata: { annotations: { 'berth.dev/probe': String(i) } },
    });
    if (/only the berth\.dev\/busy annotation/.test(probe)) break;
    assert.ok(Date.now() < until, `the admission policy is enforced within 30 s (last: ${probe})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // Refused: another pod (also through the documented line), any other change, a bad value.
  const refusals: [string, string, unknown, RegExp][] = [
    [
      'another pod',
      other.metadata.name,
      busy('true'),
      /only their own pod: this token is bound to pod /,
    ],
    [
      'a label',
      name,
      { metadata: { labels: { 'app.kubernetes.io/name': 'x' } } },
      /may not change their pod's spec, labels/,
    ],
    [
      'another annotation',
      name,
      { metadata: { annotations: { 'berth.dev/x': '1' } } },
      /only the berth\.dev\/busy annotation/,
    ],
    [
      'busy and another annotation',
      name,
      { metadata: { annotations: { [BUSY]: 'false', 'prometheus.io/scrape': 'false' } } },
      /only the berth\.dev\/busy annotation/,
    ],
    [
      'the deletion cost',
      name,
      { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '5000' } } },
      /only the berth\.dev\/busy annotation/,
    ],
    [
      'the spec',
      name,
      { spec: { activeDeadlineSeconds: 3600 } },
      /may not change their pod's spec/,
    ],
    [
      'a finalizer',
      name,
      { metadata: { finalizers: ['example.com/keep'] } },
      /may not change their pod's spec, labels, finalizers/,
    ],
    ['a value other than true/false', name, busy('yes'), /berth\.dev\/busy is "true" or "false"/],
  ];
  for (const [what, pod, patch, message] of refusals)
    assert.match(await attempt(api, pod, ns, patch), message, `refused: ${what}`);
  const script = curl.replace('$(cat $D/pod-name)', other.metadata.name);
  assert.notEqual(await sh(script), 0, 'the curl line on another pod fails');
  const otherLive = await admin.get({
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: ns,
    name: other.metadata.name,
  });
  assert.equal(otherLive?.metadata.annotations?.[BUSY], undefined, 'the other pod is untouched');
  // A token of the same ServiceAccount that is not bound to a pod cannot mark any pod.
  const unbound = await connectKube({ kubeconfig: await unboundKubeconfig(t, ns), env: {} });
  t.after(() => unbound.close());
  assert.match(await attempt(unbound, name, ns, busy('true')), /bound to no pod/);
  // Allowed: idle again, then busy again (the value may change both ways).
  assert.equal(await attempt(api, name, ns, busy('false')), 'ok');
  assert.equal(await attempt(api, name, ns, busy('true')), 'ok');

  // The autoscaler (under its own ServiceAccount) may still mark deletion costs: the policy binds
  // only the agents. The queue is empty: 3 → 2 → 1, and the busy pod is the one left.
  const nats = await startNats(t);
  await natsQueue(t, nats.url);
  const scaler = await startAutoscaler(t, ws, {
    natsUrl: nats.url,
    identity: 'busy',
    kubeconfig: await autoscalerKubeconfig(t, ws),
  });
  await waitFor(
    '1 replica and 1 running pod',
    async () =>
      (await replicasOf(admin, ws)) === 1 && (await running()).length === 1 ? true : undefined,
    fast,
  );
  assert.deepEqual(
    (await running()).map((p) => p.metadata.name),
    [name],
    `the busy pod survived:\n${scaler.lines.join('\n')}`,
  );
});

/** A kubeconfig for the pool's ServiceAccount with a token bound to no object. */
async function unboundKubeconfig(t: Cleanup, ns: string): Promise<string> {
  const kc = await serviceAccountKubeConfig(ns, 'developer');
  const file = join(tmpdir(), `berth-unbound-${suffix()}.kubeconfig`);
  await writeFile(file, kc.exportConfig(), { mode: 0o600 });
  t.after(() => rm(file, { force: true }));
  return file;
}
