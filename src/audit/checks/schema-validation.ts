import { formatPath } from '../../yaml/stream.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { crdSchemas } from '../schema/compact.ts';
import { kindKey, type CompactSchema } from '../schema/types.ts';
import { validateAgainst } from '../schema/validate.ts';
import { nameOf } from './shared/describe.ts';

export const schemaValidation: Check = {
  id: 'schema-validation',
  severity: 'error',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary:
    'Every object matches the OpenAPI schema of its kind: required fields, types, enums, no unknown fields.',
  remediation:
    'Correct the field at the reported line as the message says (kubectl explain <kind>.<field> shows the schema).',
  docs: `What kubeconform does, offline: built-in kinds are validated against the OpenAPI v3 schema of
the Kubernetes release \`--kube-version\` selects (1.36.3, the pinned one, by default; 1.31.14 for
1.25 to 1.31; 1.24.17 for 1.24 and older), generated into the package from the k8s.io/kubernetes
modules with the enums of the Go types, custom resources against the CRDs in the input, in \`--crd\` folders,
or shipped for the sandbox's operators (External Secrets, KEDA, Argo CD, cert-manager). Reported:
missing required fields, wrong types (a number where the API wants a string, such as an env
value \`8080\`), values outside an enum, unknown fields (what \`kubectl apply --validate=strict\`
rejects), and the CRD constraints (pattern, minimum, maximum, lengths, item counts). \`null\`
counts as unset, as for the API server. Kinds without a schema (an operator's CRD not given) are
not reported. The API server's further validation (name formats, selector matching the
template) is not repeated here: \`selector-mismatch\` and \`invalid-object\` cover the common
cases.`,
  run({ objects, schemas }) {
    if (!schemas) return [];
    const fromInput = new Map<string, CompactSchema>();
    for (const o of objects) {
      if (o.object.kind !== 'CustomResourceDefinition') continue;
      for (const crd of crdSchemas(o.object))
        fromInput.set(kindKey(crd.apiVersion, crd.kind), crd.schema);
    }
    const out: RawFinding[] = [];
    const options = schemas.loadDef ? { loadDef: schemas.loadDef } : {};
    for (const target of objects) {
      const { apiVersion, kind } = target.object;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
      const key = kindKey(apiVersion, kind);
      const root = fromInput.get(key) ?? schemas.kinds[key];
      if (!root) continue;
      for (const error of validateAgainst(target.object, root, schemas.defs, options)) {
        const where = error.path.length > 0 ? `${formatPath(error.path)}: ` : '';
        out.push({
          target,
          path: error.path,
          message: `${nameOf(target)}: ${where}${error.message}`,
        });
      }
    }
    return out;
  },
};
