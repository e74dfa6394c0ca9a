/**
 * Finding releases and their components on the cluster, for the day-2 verbs: the releases are
 * the ApplySet parents berth wrote; a release's components come from its current revision.
 */
import type { CallOptions, KubeApi } from '../../kube/api.ts';
import { UsageError } from '../../errors.ts';
import type { KubeObject } from '../../model/object.ts';
import { ApplySetLabel } from '../applyset.ts';
import { componentsOf, pickRelease, workloadsOf, type ComponentAddress } from '../components.ts';
import type { ReleaseRef } from '../identity.ts';
import type { RevisionRecord } from '../revision.ts';
import { listRevisions, readRevision } from './history-store.ts';

/** Every release on the cluster (or named `name`), from the parents' labels. */
export async function listReleases(
  api: KubeApi,
  b: CallOptions,
  name?: string,
): Promise<ReleaseRef[]> {
  const { items } = await api.list(
    { apiVersion: 'v1', kind: 'Secret' },
    {
      ...b,
      labelSelector: `${ApplySetLabel.id},app.kubernetes.io/managed-by=berth,berth.dev/release${name ? `=${name}` : ''}`,
    },
  );
  return items
    .map((s) => ({
      name: s.metadata.labels?.['berth.dev/release'] ?? '',
      namespace: s.metadata.namespace ?? '',
    }))
    .sort((a, b) => (a.name + a.namespace < b.name + b.namespace ? -1 : 1));
}

/** The current revision of a release with its objects; undefined when it has none. */
export async function currentRecord(
  api: KubeApi,
  release: ReleaseRef,
  b: CallOptions,
): Promise<RevisionRecord | undefined> {
  const last = (await listRevisions(api, release, b)).at(-1);
  return last ? readRevision(api, release, last.revision, b) : undefined;
}

export interface LocatedComponent {
  release: ReleaseRef;
  record: RevisionRecord;
  component: string;
  /** The component's workloads as the current revision has them. */
  workloads: KubeObject[];
}

/** Resolves `<release>/<component>` or `<component>` (when exactly one release has it). */
export async function locateComponent(
  api: KubeApi,
  address: ComponentAddress,
  b: CallOptions,
): Promise<LocatedComponent> {
  const releases = await listReleases(api, b, address.release);
  if (releases.length === 0)
    throw new UsageError(
      address.release
        ? `no release named ${address.release} on this cluster`
        : 'no berth release on this cluster (berth apply records one)',
    );
  const records = new Map<string, { release: ReleaseRef; record: RevisionRecord }>();
  const components = new Map<string, string[]>();
  for (const release of releases) {
    const record = await currentRecord(api, release, b);
    if (!record) continue;
    const key =
      releases.filter((r) => r.name === release.name).length > 1
        ? `${release.name}@${release.namespace}`
        : release.name;
    records.set(key, { release, record });
    components.set(key, componentsOf(record.objects));
  }
  const chosen = pickRelease(address, components);
  const found = records.get(chosen);
  if (!found) throw new UsageError(`release ${chosen} has no recorded revision`);
  return {
    ...found,
    component: address.component,
    workloads: workloadsOf(found.record.objects, address.component),
  };
}
