import { containerSecurity, stringList } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel, securityPath, set } from './shared/describe.ts';

export const allowPrivilegeEscalation: Check = {
  id: 'allow-privilege-escalation',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'Every container sets allowPrivilegeEscalation: false explicitly.',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  docs: `Unset means true: setuid binaries can gain privileges. Like Pod Security \`restricted\` (and unlike
kube-linter, which only flags an explicit true), the field must be explicitly false, on init and
ephemeral containers too. The fix sets it; it is not offered on privileged containers or ones
adding CAP_SYS_ADMIN, where the API server rejects that combination.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        const sc = containerSecurity(c);
        if (sc.allowPrivilegeEscalation === false) continue;
        const finding: RawFinding = {
          target: w.target,
          path: securityPath(c, 'allowPrivilegeEscalation'),
          message: `${containerLabel(w, c)} does not set allowPrivilegeEscalation: false`,
        };
        if (sc.privileged === true || stringList(sc.capabilities?.add).includes('SYS_ADMIN')) {
          finding.unfixableReason = 'the container is privileged or adds SYS_ADMIN';
        } else {
          finding.fix = {
            kind: 'object',
            description: 'set allowPrivilegeEscalation: false',
            ops: [set(securityPath(c, 'allowPrivilegeEscalation'), false)],
          };
        }
        out.push(finding);
      }
    }
    return out;
  },
};
