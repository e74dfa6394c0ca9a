import { mainContainers } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel, set } from './shared/describe.ts';
import { probeHandler, probeOf } from './shared/probe-derivation.ts';

/** A liveness probe that waits this long before its first check marks a slow starter. */
export const slowStartSeconds = 30;

export const startupProbe: Check = {
  id: 'startup-probe',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: true,
  summary: `Slow starters (liveness initialDelaySeconds >= ${slowStartSeconds}) use a startupProbe instead of a long initial delay.`,
  remediation:
    'Add a startupProbe with the liveness handler and failureThreshold × periodSeconds covering the slowest start.',
  docs: `A long \`initialDelaySeconds\` on the liveness probe is a guess: too short and a slow start
(Playwright installing browsers, seed 001) is killed in a loop; too long and a hung pod is
noticed late, on every restart. A startup probe holds liveness off until the first success.
The fix adds a startupProbe with the liveness handler, period 10 s and a failure threshold
covering twice the current initial delay (at least 12, i.e. 2 minutes).`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of mainContainers(w)) {
        const liveness = probeOf(c.container, 'livenessProbe');
        if (!liveness || probeOf(c.container, 'startupProbe')) continue;
        const delay =
          typeof liveness.initialDelaySeconds === 'number' ? liveness.initialDelaySeconds : 0;
        if (delay < slowStartSeconds) continue;
        const handler = probeHandler(liveness);
        const finding: RawFinding = {
          target: w.target,
          path: [...c.path, 'livenessProbe', 'initialDelaySeconds'],
          message: `${containerLabel(w, c)} delays its liveness probe ${delay}s instead of using a startupProbe`,
        };
        if (handler) {
          const failureThreshold = Math.max(12, Math.ceil((2 * delay) / 10));
          finding.fix = {
            kind: 'object',
            description: 'add a startupProbe from the liveness handler',
            ops: [
              set([...c.path, 'startupProbe'], {
                ...structuredClone(handler),
                periodSeconds: 10,
                timeoutSeconds: 5,
                failureThreshold,
              }),
            ],
          };
        } else finding.unfixableReason = 'the liveness probe has no handler';
        out.push(finding);
      }
    }
    return out;
  },
};
