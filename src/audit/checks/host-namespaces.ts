import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const hostNamespaces: Check = {
  id: 'host-namespaces',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: false,
  summary: 'Pods do not share the node network, PID or IPC namespace.',
  remediation: 'Remove hostNetwork, hostPID and hostIPC from the pod spec.',
  docs: `hostNetwork exposes every node interface and bypasses NetworkPolicies; hostPID and hostIPC let a
container see and signal node processes. Not fixed automatically: node agents that need them
should be suppressed with a reason.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        if (w.spec[key] !== true) continue;
        out.push({
          target: w.target,
          path: [...w.specPath, key],
          message: `${nameOf(w.target)} sets ${key}: true`,
        });
      }
    }
    return out;
  },
};
