/** Services with a selector but no ready endpoint: traffic to them fails. */
import type { Detector, Finding } from '../model.ts';
import { ageMs, arrayAt, fieldAt, finding, list, recordAt, stringAt } from './helpers.ts';

const id = 'service-no-endpoints';

export const serviceNoEndpoints: Detector = {
  id,
  severity: 'warning',
  description:
    'Services with a selector (not ExternalName) older than the grace (2 min) whose EndpointSlices hold no ready endpoint, with the number of not-ready endpoints.',
  remediation:
    "Check that the selector matches the pods' labels and that those pods pass their readiness probe.",
  reads: ['Service', 'discovery.k8s.io/EndpointSlice'],
  trigger: 'watch',
  detect(state, options) {
    const out: Finding[] = [];
    const slices = list(state, 'discovery.k8s.io/EndpointSlice');
    for (const svc of list(state, 'Service')) {
      const selector = recordAt(svc, 'spec.selector');
      if (!selector || Object.keys(selector).length === 0) continue;
      if (stringAt(svc, 'spec.type') === 'ExternalName') continue;
      const age = ageMs(svc.metadata.creationTimestamp, state.now);
      if (age !== undefined && age < options.serviceGraceMs) continue;
      let ready = 0;
      let notReady = 0;
      for (const s of slices) {
        if (s.metadata.namespace !== svc.metadata.namespace) continue;
        if (s.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name) continue;
        for (const ep of arrayAt(s, 'endpoints')) {
          if (fieldAt(ep, 'conditions.ready') === false) notReady++;
          else ready++;
        }
      }
      if (ready > 0) continue;
      out.push(
        finding(id, {
          severity: 'warning',
          object: svc,
          reason: 'NoReadyEndpoints',
          message: `Service ${svc.metadata.namespace}/${svc.metadata.name} has no ready endpoint${notReady ? ` (${notReady} not ready)` : ''}`,
          evidence: [
            `selector ${Object.entries(selector)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(',')}`,
            `${notReady} not-ready endpoint(s)`,
          ],
        }),
      );
    }
    return out;
  },
};
