/**
 * berth's service as the spec renders it, run on the sandbox as local processes (issue 11 §4):
 * a workspace with a Watchdog whose `service` section renders berth's one identity (and, with
 * `pools`, vapora's developer pool with berth scaling), rendered by berth; the identity (its
 * ServiceAccount, Roles, ClusterRoles, bindings and Lease), the pool and the spec ConfigMap
 * applied; the `spec.yaml` the pod would mount written to a file; `berth serve` processes (the
 * CLI, bin/berth.js) under tokens of the rendered ServiceAccount. kwok runs no containers, so the
 * rendered Deployment of the service itself is not applied.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeObject } from '../../src/model/object.ts';
import { connectKube } from '../../src/kube/connect.ts';
import { renderWorkspace } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import type { AgentPool } from '../../src/autoscale/pools.ts';
import { applyObjects, testKubeConfig, testKubeconfig } from '../support/cluster.ts';
import { canIMismatches, type CanIRow } from '../support/can-i.ts';
import type { Cleanup } from '../support/servers.ts';
import { startServe, tokenKubeconfig, until, type ServeProcess } from './serve-support.ts';

export type { CanIRow };

/** Cleanups registered in a `before` hook and run by an `after` hook, last first. */
export class Cleanups implements Cleanup {
  private readonly fns: (() => unknown)[] = [];
  after(fn: () => unknown): void {
    this.fns.push(fn);
  }
  async run(): Promise<void> {
    for (const fn of this.fns.splice(0).reverse())
      await Promise.resolve(fn()).catch(() => undefined);
  }
}

const vaporaDir = join(import.meta.dirname, '..', '..', 'examples', 'vapora');
const SERVICE_COMPONENT = 'berth-service';
const IDENTITY_KINDS = new Set([
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'Lease',
  'ConfigMap',
]);

export interface RenderedService {
  /** The service's namespace: its Lease, its state ConfigMaps. */
  svc: string;
  /** The developer pool's namespace (with `pools`). */
  agents: string;
  /** The watched namespaces, by scenario name. */
  ns: Record<string, string>;
  /** `system:serviceaccount:<svc>:berth`, as the API server's audit log names it. */
  user: string;
  /** The spec file the rendered ConfigMap carries (what the pod mounts at /etc/berth). */
  specFile: string;
  /** Every object berth rendered (applied or not). */
  rendered: KubeObject[];
  /** A `berth serve` process under a fresh token of the rendered ServiceAccount, ready. */
  start(identity: string, env: Record<string, string>, extra?: string[]): Promise<ServeProcess>;
}

export interface ServiceOptions {
  prefix: string;
  /**
   * Scenario names: one watched namespace each (`<prefix>-<name>-<id>`), created first. Start
   * the prefix with `bt-`, as test/support/cluster.ts's namespaces: tests that see cluster-scoped
   * incidents of others (a NotReady node named after the namespace) know them by it.
   */
  scenarios: readonly string[];
  /** The Watchdog's spec lines (YAML at 2 spaces), given the watched namespaces. */
  watchdog: (include: string) => string;
  /** vapora's developer pool (berth scaling), tweaked, in the same spec. @default none */
  pool?: (p: AgentPool) => void;
  leaseSeconds?: number;
}

const watchdogDoc = (spec: string) => `apiVersion: berth.dev/v1alpha1
kind: Watchdog
metadata: { name: berth }
spec:
${spec}
  notify:
    - { type: discord }
  service:
    image: registry.example/berth:0.9.0
    dashboard: { authSecret: berth-dashboard }
---
apiVersion: berth.dev/v1alpha1
kind: Secret
metadata: { name: berth-dashboard }
spec: { vault: { path: kv/berth/dashboard } }
`;

/** Renders, applies and returns the service of `o`; everything is removed by `c`. */
export async function renderedService(c: Cleanup, o: ServiceOptions): Promise<RenderedService> {
  const id = randomBytes(3).toString('hex');
  const ns = Object.fromEntries(o.scenarios.map((s) => [s, `${o.prefix}-${s}-${id}`]));
  const dir = await mkdtemp(join(tmpdir(), 'berth-serve-spec-'));
  c.after(() => rm(dir, { recursive: true, force: true }));
  if (o.pool) {
    for (const f of ['platform.yaml', 'services.yaml', 'stores.yaml'])
      await copyFile(join(vaporaDir, f), join(dir, f));
    await copyFile(join(vaporaDir, 'pools', 'developer.yaml'), join(dir, 'developer.yaml'));
  } else
    await writeFile(
      join(dir, 'platform.yaml'),
      `apiVersion: berth.dev/v1alpha1\nkind: Platform\nmetadata: { name: ${o.prefix} }\nspec: { namespace: ${o.prefix}-svc }\n`,
    );
  await writeFile(
    join(dir, 'watchdog.yaml'),
    watchdogDoc(o.watchdog(`[${Object.values(ns).join(', ')}]`)),
  );
  const ws = await loadWorkspace(dir);
  // Every namespace of the workspace gets the test's id (as test/autoscale/support.ts's vapora()).
  const rename = (n: string) => `${n}-${id}`;
  const p = ws.platform.spec;
  p.namespace = rename(p.namespace ?? ws.platform.name);
  for (const x of [...ws.components, ...ws.secrets]) x.namespace = rename(x.namespace);
  if (ws.watchdog) ws.watchdog.namespace = rename(ws.watchdog.namespace);
  const pool = ws.components.find((x): x is AgentPool => x.kind === 'AgentPool');
  if (pool && o.pool) o.pool(pool);
  const rendered = renderWorkspace(ws);
  const svc = ws.watchdog?.namespace ?? '';
  const service = (x: KubeObject) =>
    x.metadata.labels?.['app.kubernetes.io/component'] === SERVICE_COMPONENT &&
    IDENTITY_KINDS.has(x.kind);
  const ofPool = (x: KubeObject) =>
    pool !== undefined &&
    x.metadata.labels?.['berth.dev/component'] === pool.name &&
    x.kind !== 'NetworkPolicy';
  const applied = rendered.filter((x) => x.kind === 'Namespace' || service(x) || ofPool(x));
  const specMap = rendered.find((x) => service(x) && x.kind === 'ConfigMap');
  const specText = (specMap as { data?: Record<string, string> } | undefined)?.data?.['spec.yaml'];
  if (!specText) throw new Error('the render has no spec ConfigMap for the service');
  const specFile = join(dir, 'rendered-spec.yaml');
  await writeFile(specFile, specText);

  const core = testKubeConfig().makeApiClient(CoreV1Api);
  const namespaces = [
    ...Object.values(ns),
    ...applied.filter((x) => x.kind === 'Namespace').map((x) => x.metadata.name),
  ];
  if (!applied.some((x) => x.kind === 'Namespace' && x.metadata.name === svc)) namespaces.push(svc);
  c.after(async () => {
    for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
    const kube = await connectKube({ kubeconfig: testKubeconfig(), env: {} });
    for (const x of applied.filter((y) => !y.metadata.namespace && y.kind !== 'Namespace'))
      await kube
        .delete(
          { apiVersion: x.apiVersion, kind: x.kind, name: x.metadata.name },
          { deadline: Date.now() + 5_000 },
        )
        .catch(() => undefined);
    kube.close();
  });
  for (const name of namespaces.filter((n) => !applied.some((x) => x.metadata.name === n)))
    await core.createNamespace({
      body: { metadata: { name, labels: { 'berth.dev/test': 'true' } } },
    });
  await applyObjects(applied);
  const account = ws.watchdog?.spec.service?.name ?? 'berth';
  return {
    svc,
    agents: pool?.namespace ?? '',
    ns,
    user: `system:serviceaccount:${svc}:${account}`,
    specFile,
    rendered,
    async start(identity, env, extra = []) {
      const proc = startServe({
        identity,
        dir: specFile,
        kubeconfig: await tokenKubeconfig(svc, account),
        namespace: svc,
        env,
        built: true,
        leaseSeconds: o.leaseSeconds ?? 6,
        extra,
      });
      c.after(async () => {
        if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
        // The replicas' logs, for a failure's post-mortem (as BERTH_TEST_AUTOSCALER_LOG).
        const logs = process.env.BERTH_TEST_SERVE_LOG;
        if (logs) await writeFile(`${logs}.${o.prefix}-${identity}`, proc.lines.join('\n'));
      });
      const url = await until(
        `${identity} serving`,
        () => {
          if (proc.child.exitCode !== null)
            throw new Error(`${identity} exited:\n${proc.lines.join('\n')}`);
          return proc.url();
        },
        60_000,
      );
      await until(
        `${identity} ready`,
        async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
        60_000,
      );
      return proc;
    },
  };
}

/** The one leader among `procs` (gauge 1, every other 0). */
export async function leaderOf(procs: readonly ServeProcess[]): Promise<ServeProcess> {
  return until(
    'one leader',
    async () => {
      const gauges = await Promise.all(procs.map((p) => p.leaderGauge()));
      const leaders = procs.filter((_, i) => gauges[i] === 1);
      return leaders.length === 1 && gauges.every((g) => g === 0 || g === 1)
        ? leaders[0]
        : undefined;
    },
    40_000,
  );
}

/** /metrics of a serve process. */
export async function metricsOf(p: ServeProcess): Promise<string> {
  const url = p.url();
  if (!url) throw new Error(`${p.identity} is not serving`);
  return (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
}

/** The sum of every series of `name` in a /metrics text (optionally with `label` in it). */
export function metricSum(text: string, name: string, label = ''): number {
  let n = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      if (line.includes(label)) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  return n;
}

/**
 * `read(file, offset)` over the audit log written since `offset`, also when the API server
 * rotated it meanwhile (--audit-log-maxsize): the rest of the newest rotated file, then the new.
 */
export function auditedSince<T>(
  log: string,
  offset: number,
  read: (file: string, offset: number) => T[],
): T[] {
  if (statSync(log).size >= offset) return read(log, offset);
  const rotated = readdirSync(dirname(log))
    .filter((f) => /^audit-.*\.log$/.test(f))
    .sort()
    .at(-1);
  return [...(rotated ? read(join(dirname(log), rotated), offset) : []), ...read(log, 0)];
}

/** The rows whose SelfSubjectAccessReview under `kubeconfig` disagrees with them. */
export async function wrongCanI(kubeconfig: string, rows: readonly CanIRow[]): Promise<string[]> {
  const kube = await connectKube({ kubeconfig, env: {} });
  try {
    return await canIMismatches(kube, rows);
  } finally {
    kube.close();
  }
}
