import { containerSecurity, runningContainers } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel, securityPath, set } from './shared/describe.ts';
import { emptyDirOps, writablePathsFor } from './shared/writable-paths.ts';

export const readOnlyRootFilesystem: Check = {
  id: 'read-only-root-filesystem',
  severity: 'warning',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'Containers run with readOnlyRootFilesystem: true.',
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir at each path the process writes.',
  docs: `A writable root filesystem lets an intruder drop tools and persist changes. The fix sets
\`readOnlyRootFilesystem: true\` **and** mounts an emptyDir (with a 64Mi sizeLimit) at \`/tmp\` and
at every path berth knows the image writes — for nginx images \`/var/cache/nginx\`, \`/var/run\`,
\`/var/log/nginx\` — so the container still starts. Other paths the application writes must be
declared by you (see \`writable-paths-mounted\`).`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of runningContainers(w)) {
        if (containerSecurity(c).readOnlyRootFilesystem === true) continue;
        const paths = [...new Set([...writablePathsFor(index, c.container.image ?? ''), '/tmp'])];
        out.push({
          target: w.target,
          path: securityPath(c, 'readOnlyRootFilesystem'),
          message: `${containerLabel(w, c)} has a writable root filesystem`,
          fix: {
            kind: 'object',
            description: `set readOnlyRootFilesystem: true with emptyDir mounts at ${paths.join(', ')}`,
            ops: [
              set(securityPath(c, 'readOnlyRootFilesystem'), true),
              ...emptyDirOps(w, c, paths),
            ],
          },
        });
      }
    }
    return out;
  },
};
