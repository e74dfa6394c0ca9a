/** Runs the watchdog in-process against the test cluster, notifying the local fake chat. */
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeApi } from '../../src/kube/api.ts';
import { connectKube } from '../../src/kube/connect.ts';
import {
  MemoryOutboxStore,
  Notifier,
  type NotifierOptions,
  type Target,
} from '../../src/notify/index.ts';
import { KubeActuator } from '../../src/watchdog/adapters/actions.ts';
import {
  ConfigMapStore,
  ledgerConfigMap,
  stateConfigMap,
} from '../../src/watchdog/adapters/configmap-store.ts';
import { WatchdogEngine } from '../../src/watchdog/adapters/engine.ts';
import { WatchdogRunner } from '../../src/watchdog/adapters/runner.ts';
import { defaultConfig } from '../../src/watchdog/config.ts';
import type { LedgerEntry, Policy } from '../../src/watchdog/policy/types.ts';
import type { TrackerOptions, TrackerState } from '../../src/watchdog/tracker.ts';
import { testKubeconfig } from '../support/cluster.ts';

export interface Started {
  kube: KubeApi;
  engine: WatchdogEngine;
  runner: WatchdogRunner;
  notifier: Notifier;
  ledger: ConfigMapStore<LedgerEntry[]>;
  log: string[];
  stop(): Promise<void>;
}

export async function kubeconfigFile(kc: KubeConfig): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-wd-'));
  const path = join(dir, 'kubeconfig');
  await writeFile(path, kc.exportConfig(), { mode: 0o600 });
  return path;
}

export async function startWatchdog(o: {
  namespace: string;
  targets: Target[];
  policy?: Partial<Policy>;
  tracker?: Partial<TrackerOptions>;
  kubeconfig?: string;
  retry?: NotifierOptions['retry'];
}): Promise<Started> {
  const kube = await connectKube({ kubeconfig: o.kubeconfig ?? testKubeconfig() });
  const log: string[] = [];
  const notifier = await Notifier.open({
    targets: o.targets,
    store: new MemoryOutboxStore(),
    retry: o.retry ?? { baseMs: 200, capMs: 2000 },
  });
  const ledger = new ConfigMapStore<LedgerEntry[]>(
    kube,
    o.namespace,
    ledgerConfigMap,
    'entries.json',
  );
  const engine = new WatchdogEngine({
    ...defaultConfig,
    policy: {
      ...defaultConfig.policy,
      include: [o.namespace],
      verifyTimeoutMs: 60_000,
      ...o.policy,
    },
    trackerOptions: { ...defaultConfig.trackerOptions, ...o.tracker },
    actuator: new KubeActuator(kube, { pollMs: 500 }),
    ledger,
    state: new ConfigMapStore<TrackerState>(kube, o.namespace, stateConfigMap, 'incidents.json'),
    notify: (n) => notifier.notify(n),
    log: (l) => log.push(l),
  });
  const runner = new WatchdogRunner({
    kube,
    engine,
    detectors: defaultConfig.detectors,
    schedules: {},
    metricsIntervalMs: 10_000,
    metricsWindowMs: 700_000,
    debounceMs: 200,
    log: (l) => log.push(l),
  });
  notifier.start();
  await runner.start();
  return {
    kube,
    engine,
    runner,
    notifier,
    ledger,
    log,
    async stop() {
      await runner.stop();
      await notifier.drain({ timeoutMs: 5000 });
      await notifier.stop();
      kube.close();
    },
  };
}

export function deployment(name: string, o: { replicas?: number; fault?: string } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: o.replicas ?? 1,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name },
          ...(o.fault ? { annotations: { 'berth.dev/sandbox-fault': o.fault } } : {}),
        },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'app',
              image: 'registry.example/app:1.0.0',
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
            },
          ],
        },
      },
    },
  };
}

/** Writes an object's status as its controller or kubelet would (merge patch of /status). */
export async function patchStatus(
  ref: { apiVersion: string; kind: string; namespace?: string; name: string },
  status: unknown,
): Promise<void> {
  const kube = await connectKube({ kubeconfig: testKubeconfig() });
  try {
    await kube.patch(
      ref,
      { status },
      { fieldManager: 'berth-test', type: 'merge', subresource: 'status' },
    );
  } finally {
    kube.close();
  }
}
