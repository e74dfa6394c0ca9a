// Every detector, one line each. Adding one: a file in this folder, a line here, a case in
// detectors.test.ts, then `node --import tsx scripts/docs-detectors.ts` (docs/detectors.md is tested against this list).
import type { Detector } from '../model.ts';
import { argocdSyncHealth } from './argocd-sync-health.ts';
import { autoscalerUnable } from './autoscaler-unable.ts';
import { certExpiry } from './cert-expiry.ts';
import { clusterHealthCheck } from './cluster-health-check.ts';
import { dailyClusterReport } from './daily-cluster-report.ts';
import { jobFailed } from './job-failed.ts';
import { nodeResourceDrift } from './node-resource-drift.ts';
import { oomKilled } from './oom-killed.ts';
import { podRestartLoop } from './pod-restart-loop.ts';
import { podUnschedulable } from './pod-unschedulable.ts';
import { pvcPressure } from './pvc-pressure.ts';
import { rolloutStuck } from './rollout-stuck.ts';
import { serviceNoEndpoints } from './service-no-endpoints.ts';

export const detectors: readonly Detector[] = [
  clusterHealthCheck,
  podRestartLoop,
  pvcPressure,
  argocdSyncHealth,
  certExpiry,
  nodeResourceDrift,
  dailyClusterReport,
  oomKilled,
  podUnschedulable,
  jobFailed,
  rolloutStuck,
  serviceNoEndpoints,
  autoscalerUnable,
];

export function detectorById(id: string): Detector | undefined {
  return detectors.find((d) => d.id === id);
}
