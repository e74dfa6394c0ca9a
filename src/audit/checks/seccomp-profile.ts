import { containerSecurity, isRecord, podSecurity } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf, podSecurityPath, set } from './shared/describe.ts';

const valid = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';

export const seccompProfile: Check = {
  id: 'seccomp-profile',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'The pod, or every container, sets seccompProfile RuntimeDefault or Localhost.',
  remediation: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod.',
  docs: `Without a seccomp profile a container may call every syscall the kernel has. Same semantics as Pod
Security \`restricted\`: a pod-level RuntimeDefault/Localhost covers containers that set nothing;
an explicit Unconfined anywhere fails. Init and ephemeral containers count. The fix sets the
pod-level profile, and replaces a profile explicitly set to \`Unconfined\` (or any other invalid
type) with RuntimeDefault: explicit values are fixed like absent ones, and a decision to run
unconfined is kept with a suppression (\`berth.dev/ignore: "seccomp-profile: <why>"\`).`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      const pod = podSecurity(w).seccompProfile;
      const podOk = isRecord(pod) && valid(pod.type);
      const explicitBad = w.containers.filter(
        (c) =>
          isRecord(containerSecurity(c).seccompProfile) &&
          !valid(containerSecurity(c).seccompProfile?.type),
      );
      const implicitBad = w.containers.filter(
        (c) => !isRecord(containerSecurity(c).seccompProfile) && !podOk,
      );
      const podBad = isRecord(pod) && !podOk;
      if (explicitBad.length === 0 && implicitBad.length === 0 && !podBad) continue;
      const finding: RawFinding = {
        target: w.target,
        path: podSecurityPath(w, 'seccompProfile'),
        message: `${nameOf(w.target)}: no RuntimeDefault seccomp profile for containers ${[...explicitBad, ...implicitBad].map((c) => `"${c.name}"`).join(', ') || '(pod)'}`,
      };
      // Explicit values are fixed like absent ones (docs/audit.md, "one rule for explicit
      // values"); a suppression with a reason is how a decision is kept.
      finding.fix = {
        kind: 'object',
        description: 'set the seccomp profile to RuntimeDefault',
        ops: [
          set(podSecurityPath(w, 'seccompProfile'), { type: 'RuntimeDefault' }),
          ...explicitBad.map((c) =>
            set([...c.path, 'securityContext', 'seccompProfile'], { type: 'RuntimeDefault' }),
          ),
        ],
      };
      out.push(finding);
    }
    return out;
  },
};
