import { isRecord, mountsOf, runningContainers, volumesOf } from '../engine/pods.ts';
import { parseQuantity } from '../../model/quantity.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel, nameOf } from './shared/describe.ts';

export const emptydirSizeLimit: Check = {
  id: 'emptydir-size-limit',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary:
    'emptyDirs set a sizeLimit, and the disk-backed ones a container mounts fit in its ephemeral-storage limit.',
  remediation:
    "Give every emptyDir a sizeLimit, keeping the sum of a container's disk-backed emptyDirs within its ephemeral-storage limit.",
  docs: `An emptyDir without sizeLimit can fill the node's disk (or, with \`medium: Memory\`, its RAM). A
sizeLimit larger than the ephemeral-storage limit of the containers writing to it is a promise
the kubelet will break by evicting the pod first. No peer relates the two. Not fixed
automatically: sizes depend on the application.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      const sizes = new Map<string, number>();
      volumesOf(w).forEach((v, i) => {
        if (!(isRecord(v.emptyDir) || v.emptyDir === null) || v.name === undefined) return;
        const limit = isRecord(v.emptyDir) ? parseQuantity(v.emptyDir.sizeLimit) : undefined;
        if (limit === undefined) {
          out.push({
            target: w.target,
            path: [...w.specPath, 'volumes', i, 'emptyDir'],
            message: `${nameOf(w.target)} emptyDir "${v.name}" has no sizeLimit`,
          });
          return;
        }
        if (isRecord(v.emptyDir) && v.emptyDir.medium !== 'Memory') sizes.set(v.name, limit);
      });
      for (const c of runningContainers(w)) {
        const ephemeral = parseQuantity(
          isRecord(c.container.resources?.limits)
            ? c.container.resources.limits['ephemeral-storage']
            : undefined,
        );
        if (ephemeral === undefined) continue;
        const mounted = mountsOf(c.container).filter(
          (m) => m.name !== undefined && sizes.has(m.name),
        );
        const total = mounted.reduce((sum, m) => sum + (sizes.get(m.name ?? '') ?? 0), 0);
        if (total <= ephemeral) continue;
        out.push({
          target: w.target,
          path: [...c.path, 'resources', 'limits'],
          message: `${containerLabel(w, c)} mounts emptyDirs of ${formatBytes(total)} in all, above its ephemeral-storage limit of ${formatBytes(ephemeral)}`,
        });
      }
    }
    return out;
  },
};

function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)}Gi` : `${Math.round(n / 2 ** 20)}Mi`;
}
