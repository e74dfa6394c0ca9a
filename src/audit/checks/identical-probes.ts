import { isDeepStrictEqual } from 'node:util';
import { mainContainers } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';
import { probeOf } from './shared/probe-derivation.ts';

export const identicalProbes: Check = {
  id: 'identical-probes',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: 'The liveness probe is not identical to the readiness probe.',
  remediation:
    'Give liveness a longer period and higher failure threshold than readiness (or a cheaper endpoint).',
  docs: `With identical probes, a pod that is busy (readiness fails, as intended) is also killed (liveness
fails at the same moment), turning load into restarts. Sharing the handler is fine; sharing the
thresholds is not. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of mainContainers(w)) {
        const liveness = probeOf(c.container, 'livenessProbe');
        const readiness = probeOf(c.container, 'readinessProbe');
        if (!liveness || !readiness || !isDeepStrictEqual(liveness, readiness)) continue;
        out.push({
          target: w.target,
          path: [...c.path, 'livenessProbe'],
          message: `${containerLabel(w, c)} has identical liveness and readiness probes`,
        });
      }
    }
    return out;
  },
};
