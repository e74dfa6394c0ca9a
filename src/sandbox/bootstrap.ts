/**
 * What the sandbox installs into its API server on every start (idempotent, server-side apply):
 * sandbox/manifests/ — fake nodes, storage classes and the provisioner's RBAC, and the minimal
 * CRDs (ESO, KEDA, Argo CD, cert-manager). Then the checks that the cluster works: every node
 * Ready and untainted by the node controller, and the `default` service account made by the
 * controller-manager.
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

/** Applies sandbox/manifests/ and waits until the CRDs are established. */
export async function applyManifests(binDir: string, kubeconfig: string): Promise<void> {
  await kubectl(binDir, kubeconfig, [
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=berth-sandbox',
    '--recursive',
    `--filename=${manifestsDir}`,
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
  while (Date.now() < deadline) {
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
        if (accounts.items.length > 0) return;
        why = 'service account default/default not made yet (kube-controller-manager)';
      }
    } catch (error) {
      why = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new BerthError(ErrorCode.sandbox, `sandbox cluster not usable in time: ${why}`);
}
