// Helpers for the autoscaler's integration tests: vapora's developer pool in namespaces unique to
// the test, its stream on a real nats-server, and an autoscaler run in-process.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { runAutoscaler, type RunningAutoscaler } from '../../src/autoscale/adapters/run.ts';
import type { AgentPool } from '../../src/autoscale/pools.ts';
import { connectKube } from '../../src/kube/connect.ts';
import type { KubeApi } from '../../src/kube/api.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { renderWorkspace } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import type { Workspace } from '../../src/spec/workspace.ts';
import {
  applyObjects,
  serviceAccountKubeConfig,
  testKubeConfig,
  testKubeconfig,
} from '../support/cluster.ts';
import type { Cleanup } from '../support/servers.ts';

export const vaporaDir = join(import.meta.dirname, '..', '..', 'examples', 'vapora');

/** vapora with every namespace renamed `<ns>-<suffix>`; `tweak` edits the developer pool. */
export async function vapora(
  suffix: string,
  tweak?: (pool: AgentPool) => void,
): Promise<Workspace> {
  const ws = await loadWorkspace(vaporaDir);
  const p = ws.platform.spec;
  p.namespace = `${p.namespace ?? 'vapora'}-${suffix}`;
  for (const c of ws.components) c.namespace = `${c.namespace}-${suffix}`;
  for (const s of ws.secrets) s.namespace = `${s.namespace}-${suffix}`;
  const dev = ws.components.find(
    (c): c is AgentPool => c.kind === 'AgentPool' && c.name === 'developer',
  );
  if (dev && tweak) tweak(dev);
  return ws;
}

/**
 * The Namespaces, the pools' objects (default: the developer pool) and the autoscaler's RBAC,
 * applied; the namespaces are deleted after.
 */
export async function deployDeveloper(
  t: Cleanup,
  ws: Workspace,
  pools: readonly string[] = ['developer'],
): Promise<KubeObject[]> {
  const objects = renderWorkspace(ws).filter(
    (o) =>
      o.kind === 'Namespace' ||
      (pools.includes(o.metadata.labels?.['berth.dev/component'] ?? '') &&
        o.kind !== 'NetworkPolicy') ||
      o.metadata.labels?.['app.kubernetes.io/component'] === 'autoscaler',
  );
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  t.after(async () => {
    for (const ns of objects.filter((o) => o.kind === 'Namespace'))
      await core.deleteNamespace({ name: ns.metadata.name }).catch(() => undefined);
    // Cluster-scoped: the busy-token admission policies (ADR 0135) outlive the namespaces.
    const kube = await connectKube({ kubeconfig: testKubeconfig(), env: {} });
    for (const o of objects.filter(
      (x) => x.metadata.namespace === undefined && x.kind !== 'Namespace',
    ))
      await kube
        .delete(
          { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name },
          { deadline: Date.now() + 5_000 },
        )
        .catch(() => undefined);
    kube.close();
  });
  await applyObjects(objects);
  return objects;
}

/**
 * What the kubelet projects into an opted-in agent's pod (ADR 0135), for a pod that kwok never
 * runs: a token bound to the pod from the TokenRequest API (boundObjectRef kind Pod), with the
 * cluster's CA, the namespace and the pod name, written to a directory laid out like
 * BUSY_TOKEN_DIR, and a kubeconfig using that token.
 */
export async function agentToken(
  t: Cleanup,
  admin: KubeApi,
  pod: KubeObject,
): Promise<{ dir: string; kubeconfig: string; token: string }> {
  const namespace = pod.metadata.namespace ?? '';
  const account = String((pod.spec as { serviceAccountName?: string }).serviceAccountName);
  const request = await admin.create(
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        expirationSeconds: 600,
        boundObjectRef: {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata.name,
          uid: pod.metadata.uid,
        },
      },
    },
    {
      fieldManager: 'berth-test',
      deadline: Date.now() + 5_000,
      subresourceOf: {
        ref: { apiVersion: 'v1', kind: 'ServiceAccount', namespace, name: account },
        subresource: 'token',
      },
    },
  );
  const token = String((request.status as { token?: string } | undefined)?.token);
  const cluster = testKubeConfig().getCurrentCluster();
  if (!cluster) throw new Error('the test kubeconfig has no current cluster');
  const dir = await mkdtemp(join(tmpdir(), 'berth-busy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const ca = cluster.caData
    ? Buffer.from(cluster.caData, 'base64').toString('utf8')
    : await readFile(cluster.caFile ?? '', 'utf8');
  await writeFile(join(dir, 'token'), token, { mode: 0o600 });
  await writeFile(join(dir, 'ca.crt'), ca);
  await writeFile(join(dir, 'namespace'), namespace);
  await writeFile(join(dir, 'pod-name'), pod.metadata.name);
  const kc = new KubeConfig();
  const user = `system:serviceaccount:${namespace}:${account}`;
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, token }],
    contexts: [{ name: 'agent', cluster: cluster.name, user }],
    currentContext: 'agent',
  });
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kc.exportConfig(), { mode: 0o600 });
  return { dir, kubeconfig, token };
}

/** A kubeconfig file that authenticates as the rendered autoscaler ServiceAccount. */
export async function autoscalerKubeconfig(t: Cleanup, ws: Workspace): Promise<string> {
  const ns = ws.platform.spec.namespace ?? '';
  const kc = await serviceAccountKubeConfig(ns, ws.platform.spec.autoscaling.serviceAccount);
  const file = join(tmpdir(), `berth-autoscaler-${randomBytes(4).toString('hex')}.kubeconfig`);
  await writeFile(file, kc.exportConfig(), { mode: 0o600 });
  t.after(() => rm(file, { force: true }));
  return file;
}

export async function adminApi(t: Cleanup): Promise<KubeApi> {
  const api = await connectKube({ kubeconfig: testKubeconfig(), env: {} });
  t.after(() => api.close());
  return api;
}

/** The VAPORA_TASKS stream and the developer's durable pull consumer (explicit acks). */
export async function natsQueue(t: Cleanup, url: string): Promise<NatsConnection> {
  const nc = await connect({ servers: url });
  t.after(() => nc.close());
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'VAPORA_TASKS', subjects: ['vapora.tasks.>'] });
  await jsm.consumers.add('VAPORA_TASKS', {
    durable_name: 'developer',
    ack_policy: AckPolicy.Explicit,
    filter_subject: 'vapora.tasks.developer',
  });
  return nc;
}

export async function publish(nc: NatsConnection, n: number): Promise<void> {
  const js = jetstream(nc);
  for (let i = 0; i < n; i++) await js.publish('vapora.tasks.developer', `task ${i}`);
}

/** Takes and acknowledges every pending message of the developer consumer. */
export async function drain(nc: NatsConnection): Promise<number> {
  const consumer = await jetstream(nc).consumers.get('VAPORA_TASKS', 'developer');
  let n = 0;
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
    let got = 0;
    for await (const m of batch) {
      m.ack();
      got++;
    }
    n += got;
    if (got === 0) return n;
  }
}

export interface Run extends RunningAutoscaler {
  lines: string[];
  api: KubeApi;
}

/** runAutoscaler for the developer pool, logging into `lines`; stopped when the test ends. */
export async function startAutoscaler(
  t: Cleanup,
  ws: Workspace,
  o: { natsUrl: string; identity: string; kubeconfig?: string },
): Promise<Run> {
  const api = await connectKube({ kubeconfig: o.kubeconfig ?? testKubeconfig(), env: {} });
  const lines: string[] = [];
  const running = await runAutoscaler({
    api,
    ws,
    endpoints: { nats: o.natsUrl },
    only: ['developer'],
    identity: o.identity,
    listen: { host: '127.0.0.1', port: 0 },
    log: (l) => lines.push(`${new Date().toISOString()} ${l}`),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await running.stop();
    api.close();
  };
  t.after(async () => {
    if (process.env.BERTH_TEST_AUTOSCALER_LOG)
      await writeFile(`${process.env.BERTH_TEST_AUTOSCALER_LOG}.${o.identity}`, lines.join('\n'));
    await stop();
  });
  return { ...running, stop, lines, api };
}

export async function replicasOf(api: KubeApi, ws: Workspace): Promise<number> {
  const ns = ws.components.find((c) => c.name === 'developer')?.namespace ?? '';
  const scale = await api.getScale(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'developer' },
    { deadline: Date.now() + 5_000 },
  );
  return scale.replicas;
}

export const suffix = () => randomBytes(3).toString('hex');
