/**
 * `berth diff` on the cluster: each object's live state against the server's dry-run answer for
 * berth's apply (so defaults, admission and other managers' fields count as the server would
 * have them), plus what the release would prune (ADR 0068).
 */
import type { CallOptions, KubeApi } from '../../kube/api.ts';
import { isObjectRefusal, NotFoundError } from '../../kube/errors.ts';
import { mapLimit } from '../../deploy/apply.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { describeRef } from '../../model/object.ts';
import { labelMembers } from '../applyset.ts';
import { fieldsTakenBack, type ManagedFieldsEntry } from '../diff/managed-fields.ts';
import { diffObject, keptDiff, type ObjectDiff } from '../diff/render.ts';
import type { ReleaseRef } from '../identity.ts';
import { planPrune, toRef } from '../inventory.ts';
import { listRevisions, readRevision } from './history-store.ts';
import { extentOf, listMembers, readParent, releaseSetId } from './members.ts';
import { manager, placeObject } from './port.ts';

export interface DiffOptions {
  deadline: number;
  /** Compare against the release's members and list what it would prune. */
  release?: ReleaseRef;
  /** @default true */
  prune?: boolean;
  /** @default false */
  pruneVolumes?: boolean;
}

export interface DiffReport {
  diffs: ObjectDiff[];
  /** Objects the server refused even in a dry run, with its message. */
  refused: { ref: ObjectRef; message: string }[];
}

export async function diffRelease(
  api: KubeApi,
  objects: readonly KubeObject[],
  o: DiffOptions,
): Promise<DiffReport> {
  const b: CallOptions = { deadline: o.deadline };
  const placed = await Promise.all(objects.map((obj) => placeObject(api, obj, b)));
  const members = o.release ? labelMembers(placed, releaseSetId(o.release)) : placed;
  const newNamespaces = new Set(
    members.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name),
  );
  const report: DiffReport = { diffs: [], refused: [] };
  const results = await mapLimit(members, 16, async (obj) => {
    const ref = toRef(obj);
    const live = await api.get(ref, b);
    try {
      const after = (
        await api.apply(obj, { ...b, fieldManager: manager, force: true, dryRun: true })
      ).object;
      const taken = fieldsTakenBack(
        live?.metadata.managedFields as ManagedFieldsEntry[] | undefined,
        after.metadata.managedFields as ManagedFieldsEntry[] | undefined,
        manager,
      );
      return diffObject(ref, live, after, taken);
    } catch (error) {
      // A namespace this same apply creates does not exist yet: the object is simply new.
      const ns = obj.metadata.namespace;
      if (error instanceof NotFoundError && !live && ns && newNamespaces.has(ns))
        return diffObject(ref, undefined, obj);
      if (!isObjectRefusal(error)) throw error;
      report.refused.push({
        ref,
        message: `${describeRef(ref)}: ${error.serverMessage || error.message}`,
      });
      return undefined;
    }
  });
  for (const d of results) if (d) report.diffs.push(d);
  if (o.release && (o.prune ?? true)) {
    for (const d of await pruneDiffs(api, o.release, members, o, b)) report.diffs.push(d);
  }
  return report;
}

async function pruneDiffs(
  api: KubeApi,
  release: ReleaseRef,
  members: readonly KubeObject[],
  o: DiffOptions,
  b: CallOptions,
): Promise<ObjectDiff[]> {
  const history = await listRevisions(api, release, b).catch((error: unknown) => {
    if (error instanceof NotFoundError) return [];
    throw error;
  });
  const current = history.at(-1);
  const previous = current ? (await readRevision(api, release, current.revision, b)).objects : [];
  const extent = extentOf([...members, ...previous], await readParent(api, release, b));
  const live = await listMembers(api, release, extent, b);
  const plan = planPrune([...live, ...previous.map(toRef)], members.map(toRef), {
    pruneVolumes: o.pruneVolumes ?? false,
  });
  const out: ObjectDiff[] = [];
  for (const ref of plan.delete) {
    const obj = await api.get(ref, b);
    if (obj) out.push(diffObject(ref, obj, undefined));
  }
  for (const ref of plan.kept) if (await api.get(ref, b)) out.push(keptDiff(ref));
  return out;
}
