import { containerSecurity } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel, securityPath } from './shared/describe.ts';

export const privilegedContainer: Check = {
  id: 'privileged-container',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary: 'No container runs privileged.',
  remediation:
    'Remove securityContext.privileged: true and grant only the specific capability the container needs.',
  docs: `A privileged container has every capability and every device of the node: it is the node.
Not fixed automatically: whatever needed it will break, so a person must find the narrower grant.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        if (containerSecurity(c).privileged !== true) continue;
        out.push({
          target: w.target,
          path: securityPath(c, 'privileged'),
          message: `${containerLabel(w, c)} is privileged`,
        });
      }
    }
    return out;
  },
};
