// The objects of one round of the release benches: vapora's rendered objects moved into
// namespaces of the round, its cluster-scoped objects (the busy-token ValidatingAdmissionPolicies
// and their bindings) renamed with the round's suffix (both by test/deploy/relocate.ts), so rounds
// and tools never share an object; they are deleted after the round.
import type { KubeObject } from '../src/model/object.ts';
import { relocate } from '../test/deploy/relocate.ts';

export function roundObjects(rendered: readonly KubeObject[], suffix: string): KubeObject[] {
  return relocate(rendered, suffix); // renames the cluster-scoped policies and roles too
}

/** `kubectl delete` arguments for the round's cluster-scoped objects (Namespaces aside). */
export function clusterScopedNames(objects: readonly KubeObject[]): string[] {
  return objects
    .filter((o) => !o.metadata.namespace && o.kind !== 'Namespace')
    .map((o) => `${o.kind.toLowerCase()}.${o.apiVersion.split('/')[0]}/${o.metadata.name}`);
}
