/**
 * What the sandbox installs into its API server on every start (idempotent, server-side apply):
 * sandbox/manifests/ — fake nodes, storage classes and the provisioner's RBAC, and the minimal
 * CRDs (ESO, KEDA, Argo CD, cert-manager). Then the checks that the cluster works: every node
 * Ready and untainted by the node controller, and the `default` service account made by the
 * controller-manager, and a canary pod that is scheduled and becomes Ready.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { BerthError, ErrorCode } from '../errors.ts';
import { sandboxSourceDir } from './versions.ts';

const run = promisify(execFile);

export const manifestsDir = join(sandboxSourceDir, 'manifests');

async function kubectl(binDir: string, kubeconfig: string, args: readonly string[]) {
  try {
    return await run(join(binDir, 'kubectl'), [`--kubeconfig=${kubeconfig}`, ...args], {
      timeout: 90_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new BerthError(
      ErrorCode.sandbox,
      `sandbox bootstrap failed: kubectl ${args.join(' ')}: ${stderr.trim() || String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Points every node's kubelet endpoint at this start's kwok port, so `pods/log` works at once
 * after a restart too (kwok's own stages set it only when a node first becomes Ready).
 */
export async function pointNodesAtKwok(
  binDir: string,
  kubeconfig: string,
  port: number,
): Promise<void> {
  const { stdout } = await kubectl(binDir, kubeconfig, ['get', 'nodes', '--output=name']);
  const patch = JSON.stringify({
    status: { daemonEndpoints: { kubeletEndpoint: { Port: port } } },
  });
  for (const node of stdout.split('\n').filter((n) => n.trim() !== ''))
    await kubectl(binDir, kubeconfig, [
      'patch',
      node.trim(),
      '--subresource=status',
      '--type=merge',
      `--patch=${patch}`,
    ]);
}

/**
 * Applies sandbox/manifests/ and the files of this start (`extra`: the metrics APIService with
 * this start's port), and waits until the CRDs are established.
 */
export async function applyManifests(
  binDir: string,
  kubeconfig: string,
  extra: readonly string[] = [],
): Promise<void> {
  await kubectl(binDir, kubeconfig, [
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=berth-sandbox',
    '--recursive',
    `--filename=${manifestsDir}`,
    ...extra.map((f) => `--filename=${f}`),
  ]);
  // Node leases left by the previous kwok of this sandbox would keep the new one from managing
  // the nodes (and running their pods) until they expire. kwok makes fresh ones at start.
  await kubectl(binDir, kubeconfig, [
    'delete',
    'leases',
    '--namespace=kube-node-lease',
    '--all',
    '--wait=false',
  ]);
  await kubectl(binDir, kubeconfig, [
    'wait',
    '--for=condition=Established',
    'customresourcedefinitions',
    '--selector=berth.dev/sandbox=true',
    '--timeout=60s',
  ]);
}

/** Why `node` cannot take pods yet, or undefined when it can. */
export function nodeBlocker(node: V1Node): string | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return `not Ready (${ready?.reason ?? 'no status yet'})`;
  const taint = node.spec?.taints?.find((t) => t.key.startsWith('node.kubernetes.io/'));
  if (taint) return `tainted ${taint.key}:${taint.effect}`;
  return undefined;
}

/** Waits until every sandbox node can take pods and the default service account exists. */
export async function waitClusterUsable(kubeconfig: string, deadline: number): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  let why = 'not checked yet';
  let usable = false;
  while (!usable && Date.now() < deadline) {
    try {
      const nodes = await core.listNode({ labelSelector: 'type=kwok' });
      const blocked = nodes.items
        .map((n) => [n.metadata?.name, nodeBlocker(n)] as const)
        .filter(([, reason]) => reason !== undefined);
      if (nodes.items.length === 0) why = 'no nodes yet';
      else if (blocked.length > 0) why = blocked.map(([n, r]) => `node ${n} ${r}`).join('; ');
      else {
        const accounts = await core.listNamespacedServiceAccount({
          namespace: 'default',
          fieldSelector: 'metadata.name=default',
        });
        usable = accounts.items.length > 0;
        why = 'service account default/default not made yet (kube-controller-manager)';
      }
    } catch (error) {
      why = error instanceof Error ? error.message : String(error);
    }
    if (!usable) await sleep(250);
  }
  if (!usable)
    throw new BerthError(ErrorCode.sandbox, `sandbox cluster not usable in time: ${why}`);
  await runCanaryPod(core, deadline);
}

/**
 * Proves the whole pod pipeline (API server, scheduler, kwok) before the sandbox is declared
 * up: a pod in kube-system must be scheduled and become Ready; it is deleted afterwards.
 */
async function runCanaryPod(core: CoreV1Api, deadline: number): Promise<void> {
  const namespace = 'kube-system';
  const name = `berth-sandbox-canary-${Date.now().toString(36)}`;
  const body = {
    metadata: { name, labels: { 'app.kubernetes.io/name': 'berth-sandbox-canary' } },
    spec: {
      containers: [{ name: 'canary', image: 'registry.k8s.io/pause:3.10' }],
      tolerations: [{ operator: 'Exists' }],
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
    },
  };
  // Its service account (kube-system/default) may be a moment behind default/default.
  for (;;) {
    try {
      await core.createNamespacedPod({ namespace, body });
      break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new BerthError(ErrorCode.sandbox, `sandbox canary pod not created: ${String(error)}`);
      await sleep(250);
    }
  }
  let why = 'not scheduled yet';
  try {
    while (Date.now() < deadline) {
      const pod = await core.readNamespacedPod({ namespace, name });
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status === 'True') return;
      why = pod.spec?.nodeName
        ? `on node ${pod.spec.nodeName}, not Ready yet (kwok)`
        : 'not scheduled yet (kube-scheduler)';
      await sleep(100);
    }
    throw new BerthError(
      ErrorCode.sandbox,
      `sandbox cluster not usable in time: canary pod ${why}`,
    );
  } finally {
    await core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 });
  }
}
