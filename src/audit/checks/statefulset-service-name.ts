import { identity, namespaceOf } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const statefulsetServiceName: Check = {
  id: 'statefulset-service-name',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary: 'StatefulSets name a governing Service, and that Service is headless (clusterIP: None).',
  remediation:
    'Set spec.serviceName to a headless Service (clusterIP: None) that selects the StatefulSet pods.',
  docs: `A StatefulSet's pods get their stable DNS names (\`<pod>.<serviceName>\`) only through a headless
governing Service; without \`serviceName\` (optional since apps/v1 1.30) or with a Service that has a
cluster IP, peers cannot address each other by ordinal — clustered databases and brokers break at
the first reschedule (kube-score \`statefulset-has-servicename\`). A Service outside the input is
not judged. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const { target: sts } of index.workloads.filter(
      (w) => w.target.object.kind === 'StatefulSet',
    )) {
      const name = get(sts.object, ['spec', 'serviceName']);
      if (typeof name !== 'string' || name === '') {
        out.push({
          target: sts,
          path: ['spec'],
          message: `${nameOf(sts)} has no spec.serviceName`,
        });
        continue;
      }
      const service = index.byIdentity.get(identity('Service', namespaceOf(sts), name));
      if (!service) continue;
      if (get(service.object, ['spec', 'clusterIP']) === 'None') continue;
      out.push({
        target: sts,
        path: ['spec', 'serviceName'],
        message: `${nameOf(sts)}: its governing Service ${name} is not headless (clusterIP: None)`,
      });
    }
    return out;
  },
};
