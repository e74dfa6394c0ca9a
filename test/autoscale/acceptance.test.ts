// Acceptance of berth's autoscaler as `berth autoscale run` (the standalone form vapora deploys,
// under its own rendered ServiceAccount) on a real cluster with a real nats-server: busy pods are
// never removed, and of two replicas (its on-demand lease, ADR 0136) exactly one scales. The rest
// of issue 9 §5 (5 → 7 → 9 on 60 pending tasks, hold when NATS is stopped with the reason and
// the source-error metric, one step down at a time after a drain, busy pods, one writer) runs
// under `berth serve` with the identity berth renders for its service:
// test/service/serve-acceptance.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/model/object.ts';
import { startNats } from '../support/servers.ts';
import { testKubeconfig, waitFor } from '../support/cluster.ts';
import { FIELD_MANAGER } from '../../src/autoscale/names.ts';
import { auditOffset, sandboxAuditLog, scaleWrites } from './audit.ts';
import {
  adminApi,
  autoscalerKubeconfig,
  deployDeveloper,
  natsQueue,
  replicasOf,
  startAutoscaler,
  suffix,
  vapora,
} from './support.ts';

const fast = { timeoutMs: 90_000, intervalMs: 250 };

const auditLog = sandboxAuditLog(testKubeconfig());
const counted = auditLog
  ? "counted in the API server's audit log"
  : 'no audit log on this cluster: one /scale manager in managedFields, one writer by metrics';

test(`busy pods survive a scale-down (by name); two replicas: exactly one scales (${counted})`, async (t) => {
  const ws = await vapora(suffix(), (p) => {
    p.spec.maxReplicas = 9;
    p.spec.scaling.down.cooldownSeconds = 2;
  });
  await deployDeveloper(t, ws);
  const ns = ws.components.find((c) => c.name === 'developer')?.namespace ?? '';
  const nats = await startNats(t);
  await natsQueue(t, nats.url);
  const admin = await adminApi(t);
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'developer' };
  // Through the Deployment, not /scale: the API server records later /scale writes in
  // managedFields only when spec.replicas already has an owner (the rendered Deployment, applied
  // server-side, leaves it to the autoscaler).
  await admin.patch(
    ref,
    { spec: { replicas: 7 } },
    { type: 'merge', fieldManager: 'berth-test', deadline: Date.now() + 5_000 },
  );
  const running = async (): Promise<KubeObject[] | undefined> => {
    const pods = (await admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns })).items.filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        (p.status as { phase?: string } | undefined)?.phase === 'Running',
    );
    return pods;
  };
  const seven = await waitFor(
    '7 running pods',
    async () => {
      const pods = await running();
      return pods?.length === 7 ? pods : undefined;
    },
    fast,
  );
  const busy = seven.slice(0, 3).map((p) => p.metadata.name);
  for (const name of busy)
    await admin.patch(
      { apiVersion: 'v1', kind: 'Pod', namespace: ns, name },
      { metadata: { annotations: { 'berth.dev/busy': 'true' } } },
      { type: 'merge', fieldManager: 'agent', deadline: Date.now() + 5_000 },
    );

  // Each replica under its own token of the rendered ServiceAccount: the audit log tells them
  // apart by the token's credential id.
  const offset = auditLog ? auditOffset(auditLog) : 0;
  const [ka, kb] = [await autoscalerKubeconfig(t, ws), await autoscalerKubeconfig(t, ws)];
  const a = await startAutoscaler(t, ws, {
    natsUrl: nats.url,
    identity: 'replica-a',
    kubeconfig: ka,
  });
  const b = await startAutoscaler(t, ws, {
    natsUrl: nats.url,
    identity: 'replica-b',
    kubeconfig: kb,
  });
  await waitFor(
    '5 replicas and 5 running pods',
    async () => {
      const pods = await running();
      return (await replicasOf(admin, ws)) === 5 && pods?.length === 5 ? true : undefined;
    },
    fast,
  );
  const left = new Set((await running())?.map((p) => p.metadata.name));
  for (const name of busy) assert.ok(left.has(name), `busy pod ${name} survived`);

  if (auditLog) {
    const scaled = scaleWrites(auditLog, offset, ns, 'developer');
    const who = [...new Set(scaled.map((w) => w.identity))];
    assert.ok(
      scaled.length >= 2,
      `the audit log has the 7 → 6 → 5 writes: ${JSON.stringify(scaled)}`,
    );
    assert.ok(
      who.every((w) => /^system:serviceaccount:.* \(JTI=/.test(w)),
      `each write names its ServiceAccount token, so two replicas can be told apart: ${who.join(', ')}`,
    );
    assert.equal(who.length, 1, `exactly one identity wrote deployments/scale: ${who.join(', ')}`);
  } else {
    // managedFields keep one entry per manager, not per replica: they show that exactly one
    // manager, the autoscaler's, wrote /scale and took spec.replicas over from the test's write;
    // which replica wrote is then read from the replicas' logs and metrics below.
    const live = await admin.get(ref);
    const fields = (live?.metadata.managedFields ?? []) as {
      manager?: string;
      subresource?: string;
    }[];
    const scalers = fields.filter((f) => f.subresource === 'scale').map((f) => f.manager);
    assert.deepEqual(scalers, [FIELD_MANAGER], `managers of /scale: ${JSON.stringify(fields)}`);
  }
  const writes = async (url: string) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return [...text.matchAll(/berth_autoscaler_scale_writes_total\{[^}]*\} (\d+)/g)].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
  };
  const [wa, wb] = [await writes(a.url), await writes(b.url)];
  assert.ok(wa > 0 !== wb > 0, `exactly one replica wrote /scale (a: ${wa}, b: ${wb})`);
  // The standby says so on its leader gauge (a log line comes only with a decision it could not
  // carry out, which depends on where the queue was when it polled).
  const standby = wa > 0 ? b : a;
  const gauge = /^berth_autoscaler_leader(?:\{[^}]*\})? (\d+)$/m.exec(
    await (await fetch(`${standby.url}/metrics`)).text(),
  );
  assert.equal(gauge?.[1], '0', `the standby is not the leader:\n${standby.lines.join('\n')}`);
});
