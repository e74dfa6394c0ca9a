import {
  allOfKind,
  namespaceOf,
  selectWorkloads,
  serviceSelectorOf,
} from '../engine/index-objects.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const danglingService: Check = {
  id: 'dangling-service',
  severity: 'warning',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: "A Service's selector matches the pods of some workload in the input.",
  remediation: 'Make the Service selector match the pod template labels of the workload it fronts.',
  docs: `A Service whose selector matches no pod has no endpoints: clients get connection refused. Services
without a selector (manually managed endpoints, ExternalName) are skipped. Not fixed
automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const svc of allOfKind(index, 'Service')) {
      const selector = serviceSelectorOf(svc);
      if (selector.matchesNothing) continue;
      if (selectWorkloads(index, namespaceOf(svc), selector).length > 0) continue;
      out.push({
        target: svc,
        path: ['spec', 'selector'],
        message: `${nameOf(svc)} selects no pod in the input`,
      });
    }
    return out;
  },
};
