import type { Check } from '../engine/types.ts';
import { missingProbe } from './shared/missing-probe.ts';

export const livenessProbe: Check = {
  id: 'liveness-probe',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: true,
  summary: 'Serving containers (those declaring ports, outside Jobs) have a livenessProbe.',
  remediation:
    'Add a livenessProbe on the container port (httpGet on the health path, or tcpSocket).',
  docs: `Without a liveness probe a deadlocked process keeps its pod forever. Containers that declare
a port are checked, and every container of a workload a Service selects even without declared
ports (it is sent traffic); a queue worker without ports and without a Service has nothing to
probe from outside. Never init containers or Jobs. **The fix is context-aware:** it reuses the handler of the container's
readiness or startup probe when there is one, else a \`tcpSocket\` probe on the port a Service
targets (its \`targetPort\`), a port named \`http\`, or the first TCP port — never a placeholder
command like Polaris' \`cat /tmp/healthy\`. Timings: period 10 s, timeout 5 s, failure threshold 6.`,
  run: (context) => missingProbe(context, 'livenessProbe'),
};
