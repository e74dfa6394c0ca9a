import { allOfKind, identity, namespaceOf } from '../engine/index-objects.ts';
import { get, isRecord } from '../engine/pods.ts';
import type { PathSegment } from '../../yaml/stream.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const danglingIngress: Check = {
  id: 'dangling-ingress',
  severity: 'warning',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: "An Ingress's backends name Services in the input.",
  remediation: 'Point the Ingress backend at an existing Service name and port.',
  docs: `An Ingress backend naming a missing Service answers 503. Both the networking.k8s.io/v1 fields
(\`service.name\`) and the legacy v1beta1 ones (\`serviceName\`, \`spec.backend\`) are read, so an
old Ingress is checked too (\`deprecated-api-version\` reports its apiVersion). Only the audited
input is known. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const ing of allOfKind(index, 'Ingress')) {
      const ns = namespaceOf(ing);
      const backends: { name: string; path: PathSegment[] }[] = [];
      // networking.k8s.io/v1 (service.name) and the legacy v1beta1 fields (serviceName, spec.backend).
      const serviceOf = (backend: unknown): unknown =>
        get(backend, ['service', 'name']) ?? get(backend, ['serviceName']);
      for (const key of ['defaultBackend', 'backend']) {
        const def = serviceOf(get(ing.object, ['spec', key]));
        if (typeof def === 'string') backends.push({ name: def, path: ['spec', key] });
      }
      const rules = get(ing.object, ['spec', 'rules']);
      (Array.isArray(rules) ? rules : []).forEach((rule: unknown, r) => {
        const paths = get(rule, ['http', 'paths']);
        (Array.isArray(paths) ? paths : []).forEach((p: unknown, i) => {
          const name = isRecord(p) ? serviceOf(p.backend) : undefined;
          if (typeof name === 'string')
            backends.push({ name, path: ['spec', 'rules', r, 'http', 'paths', i, 'backend'] });
        });
      });
      for (const b of backends) {
        if (index.byIdentity.has(identity('Service', ns, b.name))) continue;
        out.push({
          target: ing,
          path: b.path,
          message: `${nameOf(ing)} routes to Service ${b.name}, which is not in the input`,
        });
      }
    }
    return out;
  },
};
