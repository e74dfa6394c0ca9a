/**
 * Structural checks for the CRD kinds berth renders, which the Kubernetes OpenAPI spec does not
 * contain: ExternalSecret (external-secrets.io/v1), ScaledObject (keda.sh/v1alpha1), Application
 * (argoproj.io/v1alpha1). They check the fields each controller requires; the sandbox's CRDs
 * check the rest at admission.
 */
import type { KubeObject } from '../../src/model/object.ts';

export const crdKinds = [
  'external-secrets.io/v1/ExternalSecret',
  'keda.sh/v1alpha1/ScaledObject',
  'argoproj.io/v1alpha1/Application',
];

type J = Record<string, unknown>;
const obj = (v: unknown): J =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {};
const str = (v: unknown) => typeof v === 'string' && v.length > 0;

export function checkCrd(o: KubeObject): string[] {
  const spec = obj(o.spec);
  const errors: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) errors.push(what);
  };
  switch (o.kind) {
    case 'ExternalSecret': {
      need(str(obj(spec.secretStoreRef).name), 'spec.secretStoreRef.name');
      need(
        ['SecretStore', 'ClusterSecretStore'].includes(String(obj(spec.secretStoreRef).kind)),
        'spec.secretStoreRef.kind',
      );
      need(str(obj(spec.target).name), 'spec.target.name');
      need(Array.isArray(spec.data) || Array.isArray(spec.dataFrom), 'spec.data or spec.dataFrom');
      need(typeof spec.refreshInterval === 'string', 'spec.refreshInterval');
      break;
    }
    case 'ScaledObject': {
      need(str(obj(spec.scaleTargetRef).name), 'spec.scaleTargetRef.name');
      const triggers = Array.isArray(spec.triggers) ? (spec.triggers as unknown[]) : [];
      need(triggers.length > 0, 'spec.triggers');
      for (const t of triggers) {
        need(str(obj(t).type), 'triggers[].type');
        need(
          Object.values(obj(obj(t).metadata)).every((v) => typeof v === 'string'),
          'triggers[].metadata values are strings',
        );
      }
      need(
        typeof spec.minReplicaCount === 'number' && typeof spec.maxReplicaCount === 'number',
        'spec.min/maxReplicaCount',
      );
      break;
    }
    case 'Application': {
      need(
        str(obj(spec.source).repoURL) && str(obj(spec.source).path),
        'spec.source.repoURL and path',
      );
      need(
        str(obj(spec.destination).server) && str(obj(spec.destination).namespace),
        'spec.destination',
      );
      need(str(spec.project), 'spec.project');
      break;
    }
    default:
      errors.push(`not a known CRD kind: ${o.kind}`);
  }
  return errors;
}
