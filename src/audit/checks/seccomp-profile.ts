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
pod-level profile; it is not offered when a container explicitly asks for Unconfined.`,
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
      if (explicitBad.length > 0 || podBad)
        finding.unfixableReason = 'a seccomp profile is explicitly set to Unconfined';
      else
        finding.fix = {
          kind: 'object',
          description: 'set the pod seccomp profile to RuntimeDefault',
          ops: [set(podSecurityPath(w, 'seccompProfile'), { type: 'RuntimeDefault' })],
        };
      out.push(finding);
    }
    return out;
  },
};
