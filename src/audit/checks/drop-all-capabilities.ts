import { containerSecurity, portsOf, stringList } from '../engine/pods.ts';
import type { Check, FixOp, RawFinding } from '../engine/types.ts';
import { containerLabel, securityPath } from './shared/describe.ts';

export const dropAllCapabilities: Check = {
  id: 'drop-all-capabilities',
  severity: 'error',
  category: 'security',
  inputs: 'manifests',
  fixable: true,
  summary: 'Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE.',
  remediation:
    'Set securityContext.capabilities.drop: ["ALL"], adding back only NET_BIND_SERVICE where a port below 1024 needs it.',
  docs: `The runtime's default capability set includes NET_RAW, CHOWN, SETUID and more. Pod Security
\`restricted\` requires \`drop: [ALL]\` and allows only NET_BIND_SERVICE in \`add\`. The fix adds
\`ALL\` to \`drop\` and keeps (or adds) NET_BIND_SERVICE when the container declares a port below
1024 — Polaris' fix deletes \`add\` instead, breaking such containers. Other added capabilities
are reported, not removed: the application may need them, and that is for a person to decide.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        const caps = containerSecurity(c).capabilities;
        const drop = stringList(caps?.drop);
        const add = stringList(caps?.add);
        const others = add.filter((a) => a !== 'NET_BIND_SERVICE');
        if (drop.includes('ALL') && others.length === 0) continue;
        const lowPort = portsOf(c.container).some(
          (p) => typeof p.containerPort === 'number' && p.containerPort < 1024,
        );
        const finding: RawFinding = {
          target: w.target,
          path: securityPath(c, 'capabilities'),
          message: drop.includes('ALL')
            ? `${containerLabel(w, c)} adds capabilities ${others.join(', ')}`
            : `${containerLabel(w, c)} does not drop ALL capabilities`,
        };
        if (others.length > 0)
          finding.unfixableReason = `it adds ${others.join(', ')}, which the application may need`;
        else {
          const ops: FixOp[] = [
            { op: 'append', path: securityPath(c, 'capabilities', 'drop'), value: 'ALL' },
          ];
          if (lowPort)
            ops.push({
              op: 'append',
              path: securityPath(c, 'capabilities', 'add'),
              value: 'NET_BIND_SERVICE',
            });
          finding.fix = {
            kind: 'object',
            description: lowPort
              ? 'drop ALL, keep NET_BIND_SERVICE for the port below 1024'
              : 'drop ALL capabilities',
            ops,
          };
        }
        out.push(finding);
      }
    }
    return out;
  },
};
