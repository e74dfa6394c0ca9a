import { containerSecurity, portsOf, stringList } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel, securityPath } from './shared/describe.ts';

export const privilegedPortCapability: Check = {
  id: 'privileged-port-capability',
  severity: 'warning',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'A container that drops ALL and listens below port 1024 adds back NET_BIND_SERVICE.',
  remediation:
    'Add NET_BIND_SERVICE to securityContext.capabilities.add, or move the listener to a port of 1024 or more.',
  docs: `A non-root process cannot bind ports below 1024 once ALL capabilities are dropped, so the
container crash-loops at start. The fix adds NET_BIND_SERVICE, the only capability Pod Security
\`restricted\` allows.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        const caps = containerSecurity(c).capabilities;
        if (
          !stringList(caps?.drop).includes('ALL') ||
          stringList(caps?.add).includes('NET_BIND_SERVICE')
        )
          continue;
        const low = portsOf(c.container).filter(
          (p) => typeof p.containerPort === 'number' && p.containerPort < 1024,
        );
        if (low.length === 0) continue;
        out.push({
          target: w.target,
          path: securityPath(c, 'capabilities'),
          message: `${containerLabel(w, c)} drops ALL capabilities but listens on port ${low.map((p) => p.containerPort).join(', ')}`,
          fix: {
            kind: 'object',
            description: 'add NET_BIND_SERVICE',
            ops: [
              {
                op: 'append',
                path: securityPath(c, 'capabilities', 'add'),
                value: 'NET_BIND_SERVICE',
              },
            ],
          },
        });
      }
    }
    return out;
  },
};
