/**
 * Seed 003's `pvc-pressure`: volumes and node root filesystems fuller than the alarm (85%), from
 * kubelet volume stats; plus claims that lost their volume.
 */
import type { Detector, Finding } from '../model.ts';
import { finding, list, stringAt } from './helpers.ts';

const id = 'pvc-pressure';
const gi = 1024 ** 3;

export const pvcPressure: Detector = {
  id,
  severity: 'critical',
  description:
    'PersistentVolumeClaims whose volume is fuller than the alarm (85%; critical from 95%) and node filesystems above it, from kubelet volume stats; claims in phase Lost.',
  remediation:
    'Expand the claim (if its StorageClass allows expansion), or delete data; for a node, free or grow its disk.',
  reads: ['PersistentVolumeClaim', 'metrics'],
  trigger: 'metrics',
  detect(state, options) {
    const out: Finding[] = [];
    for (const v of state.volumeUsage ?? []) {
      if (v.capacityBytes <= 0) continue;
      const percent = (100 * v.usedBytes) / v.capacityBytes;
      if (percent < options.diskPercent) continue;
      const fill = `${percent.toFixed(1)}% used (${(v.usedBytes / gi).toFixed(1)} of ${(v.capacityBytes / gi).toFixed(1)} GiB)`;
      const severity = percent >= 95 ? 'critical' : 'warning';
      if (v.pvc && v.namespace)
        out.push(
          finding(id, {
            severity,
            object: {
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              namespace: v.namespace,
              name: v.pvc,
            },
            reason: 'VolumeNearlyFull',
            message: `PVC ${v.namespace}/${v.pvc} is ${fill}`,
            evidence: [fill, `mounted on node ${v.node}`],
          }),
        );
      else
        out.push(
          finding(id, {
            severity,
            object: { apiVersion: 'v1', kind: 'Node', name: v.node },
            reason: 'NodeDiskNearlyFull',
            message: `node ${v.node} filesystem is ${fill}`,
            evidence: [fill],
          }),
        );
    }
    for (const pvc of list(state, 'PersistentVolumeClaim')) {
      if (stringAt(pvc, 'status.phase') !== 'Lost') continue;
      out.push(
        finding(id, {
          severity: 'critical',
          object: pvc,
          reason: 'ClaimLost',
          message:
            `PVC ${pvc.metadata.namespace}/${pvc.metadata.name} lost its volume ${stringAt(pvc, 'spec.volumeName') ?? ''}`.trim(),
          evidence: ['phase Lost'],
        }),
      );
    }
    return out;
  },
};
