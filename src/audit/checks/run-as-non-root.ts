import { containerSecurity, effective, podSecurity, runningContainers } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf, podSecurityPath, set } from './shared/describe.ts';

export const runAsNonRoot: Check = {
  id: 'run-as-non-root',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'Every container runs with runAsNonRoot: true and no runAsUser: 0.',
  remediation:
    'Set securityContext.runAsNonRoot: true on the pod (and a non-zero runAsUser where the image has no numeric USER).',
  docs: `A container that may run as root turns any escape into root on the node. The check reads the
effective value (container, else pod) for init and app containers. The fix sets
\`spec.securityContext.runAsNonRoot: true\` on the pod; it is not offered when a container
explicitly sets \`runAsNonRoot: false\` or \`runAsUser: 0\`, because that is a decision to revisit,
not a default to flip.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      const bad = runningContainers(w).filter(
        (c) => effective(w, c, 'runAsNonRoot') !== true || effective(w, c, 'runAsUser') === 0,
      );
      if (bad.length === 0) continue;
      const explicit = bad.some(
        (c) =>
          containerSecurity(c).runAsNonRoot === false ||
          effective(w, c, 'runAsUser') === 0 ||
          podSecurity(w).runAsNonRoot === false,
      );
      const finding: RawFinding = {
        target: w.target,
        path: podSecurityPath(w),
        message: `${nameOf(w.target)}: containers ${bad.map((c) => `"${c.name}"`).join(', ')} may run as root`,
      };
      if (explicit) finding.unfixableReason = 'a container explicitly asks for root';
      else
        finding.fix = {
          kind: 'object',
          description: 'set runAsNonRoot: true on the pod',
          ops: [set(podSecurityPath(w, 'runAsNonRoot'), true)],
        };
      out.push(finding);
    }
    return out;
  },
};
