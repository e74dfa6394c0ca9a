import {
  allOfKind,
  namespaceOf,
  selectWorkloads,
  serviceSelectorOf,
} from '../engine/index-objects.ts';
import { get, isRecord, mainContainers, portsOf } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const serviceTargetPort: Check = {
  id: 'service-target-port',
  severity: 'error',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: "A Service's targetPort is a port (by name or number) declared by the pods it selects.",
  remediation: 'Set targetPort to a containerPort (or its name) of the selected pods.',
  docs: `A named targetPort that the pods do not declare gives a Service with no ready endpoints; an
undeclared number usually means the container port changed. Checked against every workload the
selector matches. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const svc of allOfKind(index, 'Service')) {
      const selector = serviceSelectorOf(svc);
      if (selector.matchesNothing) continue;
      const workloads = selectWorkloads(index, namespaceOf(svc), selector);
      const ports = get(svc.object, ['spec', 'ports']);
      if (!Array.isArray(ports)) continue;
      ports.forEach((p: unknown, i) => {
        if (!isRecord(p)) return;
        const target = p.targetPort ?? p.port;
        for (const w of workloads) {
          const declared = mainContainers(w).flatMap((c) => portsOf(c.container));
          const ok =
            typeof target === 'string' && !/^\d+$/.test(target)
              ? declared.some((d) => d.name === target)
              : declared.some((d) => d.containerPort === Number(target));
          if (ok) continue;
          out.push({
            target: svc,
            path: ['spec', 'ports', i, p.targetPort === undefined ? 'port' : 'targetPort'],
            message: `${nameOf(svc)} targets port ${String(target)}, which ${nameOf(w.target)} does not declare`,
          });
        }
      });
    }
    return out;
  },
};
