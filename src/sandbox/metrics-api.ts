/**
 * metrics.k8s.io on the sandbox (ADR 0120): the APIService that sends the group to the
 * metrics-server process, written at every start (its port changes), and the wait until the API
 * server's aggregator finds it Available. The ExternalName Service it names and metrics-server's
 * RBAC are static (sandbox/manifests/metrics-server.yaml).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig, ApiregistrationV1Api } from '@kubernetes/client-node';
import { BerthError, ErrorCode } from '../errors.ts';
import type { SandboxPaths } from './paths.ts';

export const metricsApiService = 'v1beta1.metrics.k8s.io';

/** The APIService object: group metrics.k8s.io/v1beta1 → Service kube-system/metrics-server:port. */
export function metricsApiServiceObject(port: number, caBundlePem: string): object {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: {
      name: metricsApiService,
      labels: { 'app.kubernetes.io/name': 'metrics-server', 'berth.dev/sandbox': 'true' },
    },
    spec: {
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      service: { name: 'metrics-server', namespace: 'kube-system', port },
      // The serving certificate is checked against the sandbox CA, for the name
      // metrics-server.kube-system.svc: no insecureSkipTLSVerify.
      caBundle: Buffer.from(caBundlePem).toString('base64'),
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  };
}

/** Writes the APIService of this start to the run folder; returns the file to apply. */
export async function writeMetricsApiService(
  paths: SandboxPaths,
  port: number,
  caCert: string,
): Promise<string> {
  const file = join(paths.runDir, 'metrics-apiservice.json');
  const object = metricsApiServiceObject(port, await readFile(caCert, 'utf8'));
  await writeFile(file, `${JSON.stringify(object, null, 2)}\n`);
  return file;
}

/** Waits until the aggregator reports the metrics APIService Available (metrics-server answers). */
export async function waitMetricsApi(kubeconfig: string, deadline: number): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = kc.makeApiClient(ApiregistrationV1Api);
  let why = 'not checked yet';
  while (Date.now() < deadline) {
    try {
      const service = await api.readAPIService({ name: metricsApiService });
      const available = service.status?.conditions?.find((c) => c.type === 'Available');
      if (available?.status === 'True') return;
      why = `${available?.reason ?? 'no status yet'}: ${available?.message ?? ''}`.trim();
    } catch (error) {
      why = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new BerthError(
    ErrorCode.sandbox,
    `sandbox metrics API (APIService ${metricsApiService}) not Available in time: ${why}`,
  );
}
