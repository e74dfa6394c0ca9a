import { mainContainers, type Probe } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';
import { probeOf } from './shared/probe-derivation.ts';

/** Below this many seconds of consecutive failures, liveness kills pods for a GC pause. */
export const minLivenessWindowSeconds = 10;

export const probeThresholds: Check = {
  id: 'probe-thresholds',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: `Probe timings are sane: timeout below period, and liveness tolerating at least ${minLivenessWindowSeconds}s of failures.`,
  remediation:
    'Keep timeoutSeconds below periodSeconds and give liveness failureThreshold × periodSeconds of at least 10 seconds.',
  docs: `A timeout at or above the period overlaps probes; a liveness probe that kills after one failure
or after a few seconds of failures restarts pods during GC pauses or load spikes (seed 001 raised
the server's liveness thresholds for exactly that). Defaults follow Kubernetes (period 10,
timeout 1, failureThreshold 3). Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of mainContainers(w)) {
        for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
          const probe = probeOf(c.container, key);
          if (!probe) continue;
          const problems = problemsOf(probe, key === 'livenessProbe');
          if (problems.length === 0) continue;
          out.push({
            target: w.target,
            path: [...c.path, key],
            message: `${containerLabel(w, c)} ${key}: ${problems.join('; ')}`,
          });
        }
      }
    }
    return out;
  },
};

function problemsOf(probe: Probe, liveness: boolean): string[] {
  const period = probe.periodSeconds ?? 10;
  const timeout = probe.timeoutSeconds ?? 1;
  const failures = probe.failureThreshold ?? 3;
  const problems: string[] = [];
  if (timeout >= period)
    problems.push(`timeoutSeconds ${timeout} is not below periodSeconds ${period}`);
  if (liveness && failures * period < minLivenessWindowSeconds)
    problems.push(`kills after ${failures * period}s of failures`);
  if (liveness && (probe.successThreshold ?? 1) !== 1)
    problems.push('successThreshold must be 1 for liveness');
  return problems;
}
