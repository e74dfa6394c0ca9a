import { isRecord, volumesOf } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const hostPathVolume: Check = {
  id: 'host-path-volume',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary: 'Pods mount no hostPath volume.',
  remediation:
    'Replace the hostPath volume with a PersistentVolumeClaim, an emptyDir or a projected volume.',
  docs: `A hostPath mount reads or writes the node's filesystem (the Docker socket, /etc, kubelet
credentials). Pod Security \`baseline\` forbids it. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      volumesOf(w).forEach((v, i) => {
        if (!isRecord(v.hostPath)) return;
        out.push({
          target: w.target,
          path: [...w.specPath, 'volumes', i, 'hostPath'],
          message: `${nameOf(w.target)} mounts hostPath ${String(v.hostPath.path)} as volume "${String(v.name)}"`,
        });
      });
    }
    return out;
  },
};
