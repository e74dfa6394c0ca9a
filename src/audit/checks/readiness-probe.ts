import type { Check } from '../engine/types.ts';
import { missingProbe } from './shared/missing-probe.ts';

export const readinessProbe: Check = {
  id: 'readiness-probe',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: true,
  summary: 'Serving containers (those declaring ports, outside Jobs) have a readinessProbe.',
  remediation: 'Add a readinessProbe on the port the Service targets.',
  docs: `Without a readiness probe a Service sends traffic to a pod as soon as its process starts, and
during rollouts to pods that cannot answer yet. Same scope and same context-aware fix as
\`liveness-probe\` (handler from the other probes, else tcpSocket on the Service targetPort);
timings: period 5 s, timeout 3 s, failure threshold 3.`,
  run: (context) => missingProbe(context, 'readinessProbe'),
};
