import { portsOf } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';

export const hostPort: Check = {
  id: 'host-port',
  severity: 'warning',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary: 'Containers declare no hostPort.',
  remediation: 'Remove hostPort and expose the container through a Service.',
  docs: `A hostPort binds the port on the node, limits scheduling to one pod per node and bypasses
NetworkPolicies on some CNIs. Pod Security \`baseline\` forbids it. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        portsOf(c.container).forEach((p, i) => {
          if (typeof p.hostPort !== 'number' || p.hostPort === 0) return;
          out.push({
            target: w.target,
            path: [...c.path, 'ports', i, 'hostPort'],
            message: `${containerLabel(w, c)} binds hostPort ${p.hostPort}`,
          });
        });
      }
    }
    return out;
  },
};
