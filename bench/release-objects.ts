// The objects of one round of the release benches: vapora's rendered objects moved into
// namespaces of the round (test/deploy/relocate.ts), and its cluster-scoped objects other than
// Namespaces (the busy-token ValidatingAdmissionPolicies and their bindings) renamed with the
// round's suffix too, so rounds and tools never share an object, and deleted after the round.
import type { KubeObject } from '../src/model/object.ts';
import { relocate } from '../test/deploy/relocate.ts';

export function roundObjects(rendered: readonly KubeObject[], suffix: string): KubeObject[] {
  const renamed = new Set(
    rendered
      .filter((o) => !o.metadata.namespace && o.kind !== 'Namespace')
      .map((o) => o.metadata.name),
  );
  return relocate(rendered, suffix).map((o) => {
    if (o.metadata.namespace || o.kind === 'Namespace') return o;
    const spec = o.spec as { policyName?: string } | undefined;
    const policyName =
      spec?.policyName && renamed.has(spec.policyName) ? `${spec.policyName}-${suffix}` : undefined;
    return {
      ...o,
      metadata: { ...o.metadata, name: `${o.metadata.name}-${suffix}` },
      ...(policyName ? { spec: { ...spec, policyName } } : {}),
    };
  });
}

/** `kubectl delete` arguments for the round's cluster-scoped objects (Namespaces aside). */
export function clusterScopedNames(objects: readonly KubeObject[]): string[] {
  return objects
    .filter((o) => !o.metadata.namespace && o.kind !== 'Namespace')
    .map((o) => `${o.kind.toLowerCase()}.${o.apiVersion.split('/')[0]}/${o.metadata.name}`);
}
