/**
 * What the `berth serve` acceptance tests share: a namespace pair (the service's, the app's), the
 * generated least-privilege RBAC of the service's identity (the watchdog's roles from
 * src/watchdog/rbac.ts plus the Lease), `berth serve` processes under its token, their metrics,
 * and the writes the API server's audit log recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CoreV1Api, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { watchdogRbac } from '../../src/watchdog/rbac.ts';
import { defaultConfig } from '../../src/watchdog/config.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { serviceAccountKubeConfig, testKubeConfig, testKubeconfig } from '../support/cluster.ts';
import { kubeconfigFile } from '../watchdog/support.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'src', 'cli', 'main.ts');

export { until } from '../support/until.ts';

/** Two namespaces removed after the test, and cluster-scoped objects created for it. */
export async function serveNamespaces(t: { after(fn: () => unknown): void }, prefix: string) {
  const id = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const svc = `${prefix}-svc-${id}`;
  const app = `${prefix}-app-${id}`;
  const kc = testKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  for (const name of [svc, app]) await core.createNamespace({ body: { metadata: { name } } });
  const clusterScoped: KubernetesObject[] = [];
  t.after(async () => {
    for (const o of clusterScoped) await objects.delete(o).catch(() => undefined);
    for (const name of [svc, app]) await core.deleteNamespace({ name }).catch(() => undefined);
  });
  const create = async (list: readonly KubeObject[]) => {
    for (const o of list) {
      await objects.create(o);
      if (!o.metadata.namespace) clusterScoped.push(o);
    }
  };
  return { svc, app, create, objects, core };
}

/** The generated least-privilege identity `berth` of the service in `svc`, acting in `app`. */
export function serviceRbac(svc: string, app: string): KubeObject[] {
  const labels = { 'app.kubernetes.io/managed-by': 'berth-test' };
  return [
    ...watchdogRbac({
      namespace: svc,
      serviceAccount: 'berth',
      detectors: defaultConfig.detectors,
      actions: ['rollout-restart'],
      include: [app],
    }),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'berth-service-lease', namespace: svc, labels },
      rules: [
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          resourceNames: ['berth-service'],
          verbs: ['get', 'update', 'patch'],
        },
      ],
    },
    // Rendered like the Lease of src/render/service-rbac.ts: the service needs no `create` on
    // leases, and the self-audit (ADR 0141) flags any it has.
    {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'berth-service', namespace: svc, labels },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'berth-service-lease', namespace: svc, labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'berth-service-lease',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'berth', namespace: svc }],
    },
  ];
}

export async function tokenKubeconfig(namespace: string, account: string): Promise<string> {
  return kubeconfigFile(await serviceAccountKubeConfig(namespace, account));
}

export async function watchdogFolder(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-serve-'));
  await writeFile(join(dir, 'watchdog.yaml'), yaml);
  return dir;
}

export interface ServeProcess {
  identity: string;
  child: ChildProcess;
  lines: string[];
  url(): string | undefined;
  exited(): Promise<number | null>;
  /** `berth_service_leader` from /metrics, or undefined when it does not answer. */
  leaderGauge(): Promise<number | undefined>;
}

export function startServe(o: {
  identity: string;
  dir: string;
  kubeconfig: string;
  namespace: string;
  env?: Record<string, string>;
  leaseSeconds?: number;
  extra?: string[];
  /** Run the build (bin/berth.js → dist) instead of the sources through tsx. @default false */
  built?: boolean;
}): ServeProcess {
  const child = spawn(
    process.execPath,
    [
      ...(o.built ? [join(root, 'bin', 'berth.js')] : ['--import', 'tsx', cli]),
      'serve',
      o.dir,
      '--kubeconfig',
      o.kubeconfig,
      '--namespace',
      o.namespace,
      '--identity',
      o.identity,
      '--lease-seconds',
      String(o.leaseSeconds ?? 6),
      '--listen',
      '127.0.0.1:0',
      ...(o.extra ?? []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...o.env } },
  );
  const lines: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = () => {
    for (const l of lines) {
      const m = / serving (http:\/\/\S+) as /.exec(l);
      if (m?.[1]) return m[1];
    }
    return undefined;
  };
  return {
    identity: o.identity,
    child,
    lines,
    url,
    exited: () => exit,
    async leaderGauge() {
      const u = url();
      if (!u || child.exitCode !== null) return undefined;
      try {
        const text = await (
          await fetch(`${u}/metrics`, { signal: AbortSignal.timeout(2_000) })
        ).text();
        const m = /^berth_service_leader (\d+)$/m.exec(text);
        return m?.[1] === undefined ? undefined : Number(m[1]);
      } catch {
        return undefined;
      }
    },
  };
}

/** The sandbox's API server audit log, or undefined on a foreign cluster. */
export function auditLog(): string | undefined {
  const file = join(dirname(realpathSync(testKubeconfig())), 'logs', 'audit.log');
  return existsSync(file) ? file : undefined;
}
export const auditOffset = (file: string): number => statSync(file).size;

/** Completed writes (`verb`) of `resource` namespace/name by `user` after byte `offset`. */
export function auditedWrites(
  file: string,
  offset: number,
  o: { verb: string; resource: string; namespace: string; name: string; user: string },
): number {
  let n = 0;
  for (const line of readFileSync(file).subarray(offset).toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as {
      verb?: string;
      stage?: string;
      objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
      user?: { username?: string };
      responseStatus?: { code?: number };
    };
    const r = e.objectRef;
    if (e.stage !== 'ResponseComplete' || e.verb !== o.verb || r?.subresource) continue;
    if (r?.resource !== o.resource || r.namespace !== o.namespace || r.name !== o.name) continue;
    if (e.user?.username !== o.user || (e.responseStatus?.code ?? 0) >= 300) continue;
    n++;
  }
  return n;
}
