/** The liveness and readiness presence checks share one implementation. */
import type { AuditContext, RawFinding } from '../../engine/types.ts';
import { containerLabel, set } from './describe.ts';
import { derivedHandler, probeOf, probeTimings, servingContainers } from './probe-derivation.ts';

export function missingProbe(
  context: AuditContext,
  key: 'livenessProbe' | 'readinessProbe',
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const w of context.index.workloads) {
    for (const c of servingContainers(w, context.index)) {
      if (probeOf(c.container, key)) continue;
      const handler = derivedHandler(context.index, w, c);
      const finding: RawFinding = {
        target: w.target,
        path: [...c.path, key],
        message: `${containerLabel(w, c)} has no ${key}`,
      };
      if (handler) {
        const probe = { ...handler, ...probeTimings[key] };
        finding.fix = {
          kind: 'object',
          description: `add a ${key} (${Object.keys(handler)[0] ?? ''} on the declared port)`,
          ops: [set([...c.path, key], probe)],
        };
      } else finding.unfixableReason = 'no declared TCP port or HTTP probe to derive it from';
      out.push(finding);
    }
  }
  return out;
}
