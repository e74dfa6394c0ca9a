import { allOfKind, identity, namespaceOf } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const danglingHpa: Check = {
  id: 'dangling-hpa',
  severity: 'warning',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: "A HorizontalPodAutoscaler's scaleTargetRef names an object in the input.",
  remediation: 'Fix scaleTargetRef (kind and name) or delete the HPA.',
  docs: `An HPA that targets nothing does nothing, silently — typically after a rename. Only objects in the
audited input are known, so audit the whole release at once. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const hpa of allOfKind(index, 'HorizontalPodAutoscaler')) {
      const kind = get(hpa.object, ['spec', 'scaleTargetRef', 'kind']);
      const name = get(hpa.object, ['spec', 'scaleTargetRef', 'name']);
      if (index.byIdentity.has(identity(String(kind), namespaceOf(hpa), String(name)))) continue;
      out.push({
        target: hpa,
        path: ['spec', 'scaleTargetRef'],
        message: `${nameOf(hpa)} scales ${String(kind)} ${String(name)}, which is not in the input`,
      });
    }
    return out;
  },
};
