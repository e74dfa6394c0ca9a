import { containerSecurity, runningContainers } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';
import { emptyDirOps, isMounted, writablePathsFor } from './shared/writable-paths.ts';

export const writablePathsMounted: Check = {
  id: 'writable-paths-mounted',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'A read-only root filesystem has an emptyDir at every path the image is known to write.',
  remediation:
    'Mount an emptyDir at each writable path of the image (for nginx: /var/cache/nginx, /var/run, /var/log/nginx, /tmp).',
  docs: `No peer links \`readOnlyRootFilesystem\` to the volumes the image needs: nginx with a read-only root
and no emptyDir at \`/var/cache/nginx\` and \`/var/run\` fails at start ("mkdir() failed (30:
Read-only file system)"), the problem seed 001 describes. berth knows the writable paths of
well-known images (nginx: \`/var/cache/nginx\`, \`/var/run\`, \`/var/log/nginx\`, \`/tmp\`), also when
the image is only known through its linked Dockerfile's base image, and the \`VOLUME\` paths that
Dockerfile declares; the fix mounts an emptyDir at each one missing.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of runningContainers(w)) {
        if (containerSecurity(c).readOnlyRootFilesystem !== true) continue;
        const missing = writablePathsFor(index, c.container.image ?? '').filter(
          (p) => !isMounted(c.container, p),
        );
        if (missing.length === 0) continue;
        out.push({
          target: w.target,
          path: [...c.path, 'volumeMounts'],
          message: `${containerLabel(w, c)} has a read-only root filesystem but nothing mounted at ${missing.join(', ')}, which its image writes`,
          fix: {
            kind: 'object',
            description: `mount emptyDirs at ${missing.join(', ')}`,
            ops: emptyDirOps(w, c, missing),
          },
        });
      }
    }
    return out;
  },
};
