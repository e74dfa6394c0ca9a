import { isRecord, portsOf, type Probe } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { containerLabel } from './shared/describe.ts';

export const probePort: Check = {
  id: 'probe-port',
  severity: 'error',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: "A probe's named port exists, and a numeric one is declared by the container.",
  remediation: 'Point the probe at a declared containerPort, by number or by its name.',
  docs: `A probe on a port name the container does not declare is rejected or never succeeds; a probe on
an undeclared number usually means the port changed and the probe did not. (kube-linter's
liveness-port, readiness-port and startup-port.) Not fixed automatically: which port was meant
is ambiguous.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      for (const c of w.containers) {
        const ports = portsOf(c.container);
        for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
          const probe: unknown = c.container[key];
          if (!isRecord(probe)) continue;
          for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
            const h = (probe as Probe)[handler];
            if (!isRecord(h) || h.port === undefined) continue;
            const port = h.port;
            const ok =
              typeof port === 'string' && !/^\d+$/.test(port)
                ? ports.some((p) => p.name === port)
                : ports.some((p) => p.containerPort === Number(port));
            if (ok) continue;
            out.push({
              target: w.target,
              path: [...c.path, key, handler, 'port'],
              message: `${containerLabel(w, c)} ${key} targets port ${String(port)}, which the container does not declare`,
            });
          }
        }
      }
    }
    return out;
  },
};
