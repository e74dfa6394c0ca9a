/**
 * Ships one revision of a release, under its lock: widens the ApplySet parent, applies the
 * labelled objects in dependency order (waiting if asked), prunes what left the set once the
 * rest is ready, narrows the parent, and records the revision and the status changes it causes.
 * Apply, rollback, upgrade and `--atomic` all go through here.
 */
import type { ApplyEvent, ApplyResult } from '../../deploy/events.ts';
import type { CallOptions, KubeApi } from '../../kube/api.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { describeRef } from '../../model/object.ts';
import { ApplySetLabel, labelMembers } from '../applyset.ts';
import { defaultHistoryMax, nextRevision, revisionsToTrim, statusChanges } from '../history.ts';
import type { HistoryEvent } from '../history.ts';
import { digestOf, imagesOf } from '../images.ts';
import type { ReleaseRef } from '../identity.ts';
import { keyOf, planPrune, toRef } from '../inventory.ts';
import { RevisionStatus, type RevisionInfo } from '../revision.ts';
import { planLead } from '../lead.ts';
import { planSurge } from '../surge.ts';
import { manager, placeObject } from './port.ts';
import {
  deleteRevision,
  listRevisions,
  readRevision,
  setRevisionStatus,
  writeRevision,
} from './history-store.ts';
import { extentOf, listMembers, readParent, releaseSetId, writeParent } from './members.ts';

/**
 * Applies objects in dependency order and (optionally) waits: deploy's `applyObjects` bound to a
 * cluster by the caller, so the release logic does not care how.
 */
export type Applier = (
  objects: readonly KubeObject[],
  options: {
    wait: boolean;
    timeoutMs: number;
    force: boolean;
    /** Objects applied first, each lane in dependency order (ADR 0151). */
    leads?: (obj: KubeObject) => boolean;
    onEvent?: (event: ApplyEvent) => void;
  },
) => Promise<ApplyResult>;

export interface ReleaseContext {
  api: KubeApi;
  apply: Applier;
  release: ReleaseRef;
  /** `user@host`, recorded in each revision. */
  by: string;
  berthVersion: string;
  /** @default Date.now */
  now?: () => number;
}

export interface ShipOptions {
  /** Wait until every object is ready. @default false */
  wait?: boolean;
  /** The whole operation's deadline (ms since the epoch, `performance.now()`-independent). */
  deadline: number;
  /** Delete what left the release. @default true */
  prune?: boolean;
  /** Also delete PVCs and Namespaces that left it. @default false */
  pruneVolumes?: boolean;
  /** Take over fields of other managers (ADR 0030). @default true */
  force?: boolean;
  /** @default 10 */
  historyMax?: number;
  /** What this revision is: `apply`, `rollback to 2`... */
  description: string;
  /** The revision this one restores (rollbacks). */
  restoredFrom?: number;
  /** The revision this one undoes (rollbacks). */
  undoes?: number;
  /**
   * With `wait`: roll the Deployments whose pod template changes in one step (ADR 0126), then
   * apply their declared strategy again. Rollbacks use it. @default false
   */
  surge?: boolean;
  /**
   * Apply the objects that differ from the previous revision's (and what their pods use) first,
   * the unchanged rest after them (ADR 0151). Only when every object of the previous revision was
   * applied. Rollbacks use it. @default false
   */
  changedFirst?: boolean;
  onEvent?: (event: ApplyEvent) => void;
}

export interface ShipResult {
  apply: ApplyResult;
  revision: number;
  status: RevisionStatus;
  pruned: ObjectRef[];
  /** PVCs and Namespaces that left the release and were kept (no longer labelled part of it). */
  kept: ObjectRef[];
  /** Objects that could not be pruned, with the server's message. */
  pruneErrors: { ref: ObjectRef; message: string }[];
  /** Deployments rolled in one step (a rollback's surge, ADR 0126). */
  surged: ObjectRef[];
  /** Set when their declared strategy could not be applied again: why. */
  strategyNotRestored?: string;
  /** Objects applied before the unchanged rest (ADR 0151): how many, and how many of them change. */
  ledBy?: { objects: number; changed: number };
}

export async function shipRevision(
  ctx: ReleaseContext,
  objects: readonly KubeObject[],
  o: ShipOptions,
): Promise<ShipResult> {
  const { api, release } = ctx;
  const b: CallOptions = { deadline: o.deadline };
  const [history, placed, before] = await Promise.all([
    listRevisions(api, release, b),
    Promise.all(objects.map((obj) => placeObject(api, obj, b))),
    readParent(api, release, b),
  ]);
  const current = history.at(-1);
  const previous = current ? await readRevision(api, release, current.revision, b) : undefined;
  const members = labelMembers(placed, releaseSetId(release));
  const widened = extentOf([...members, ...(previous?.objects ?? [])], before);
  await writeParent(api, release, widened, b);

  // The members on the cluster are listed while the apply runs and waits: under the lock only
  // this operation adds members, and all it adds are in the new set, so the listing it would
  // take afterwards holds the same candidates for pruning. Nothing is deleted before the wait.
  const prunes = o.prune ?? true;
  const listing = prunes ? listMembers(api, release, widened, b) : undefined;
  listing?.catch(() => undefined); // read below when the apply succeeded; else its error is moot
  const { restoring, ...applied } = await applyMembers(ctx, members, previous?.objects ?? [], o);
  const ok = applied.apply.outcome === 'ready' || applied.apply.outcome === 'applied';
  const result: ShipResult = {
    ...applied,
    revision: nextRevision(history),
    status: ok ? RevisionStatus.deployed : RevisionStatus.failed,
    pruned: [],
    kept: [],
    pruneErrors: [],
  };
  // The surge's second pass, the prune (then the parent narrowed) and the revision's record run
  // side by side: none needs another. A crash after the record and before the prune leaves the
  // parent wide, so the next operation still finds and prunes the leftovers.
  const [why] = await Promise.all([
    restoring,
    ok && listing
      ? (async () => {
          await pruneLeftovers(ctx, await listing, previous?.objects ?? [], members, result, o);
          await writeParent(api, release, extentOf(members), b);
        })()
      : undefined,
    record(ctx, history, members, result, o),
  ]);
  if (why) result.strategyNotRestored = why;
  return result;
}

/**
 * The apply (and wait) of the members: what changes first when asked (ADR 0151); for a surging
 * rollback, in two passes (ADR 0126), the second one still running when this returns.
 */
async function applyMembers(
  ctx: ReleaseContext,
  members: readonly KubeObject[],
  previous: readonly KubeObject[],
  o: ShipOptions,
): Promise<
  Pick<ShipResult, 'apply' | 'surged' | 'ledBy'> & { restoring?: Promise<string | undefined> }
> {
  const now = ctx.now ?? Date.now;
  const surge = o.surge && o.wait ? planSurge(members, previous) : undefined;
  const led = o.changedFirst && previous.length ? planLead(members, previous) : undefined;
  const apply = await ctx.apply(surge?.objects ?? members, {
    wait: o.wait ?? false,
    timeoutMs: Math.max(1, o.deadline - now()),
    force: o.force ?? true,
    ...(led ? { leads: (obj: KubeObject) => led.lead.has(keyOf(toRef(obj))) } : {}),
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
  });
  const ledBy = led ? { ledBy: { objects: led.lead.size, changed: led.changed } } : {};
  if (!surge) return { apply, surged: [], ...ledBy };
  const surged = surge.declared.map(toRef);
  if (apply.outcome === 'rejected') return { apply, surged, ...ledBy };
  return { apply, surged, ...ledBy, restoring: restoreStrategies(ctx, surge.declared, o) };
}

/**
 * The surge's second pass: the Deployments as declared (their strategy back; the template is
 * the same, so no rollout starts), not waited for. Failing it fails nothing already done: the
 * next apply of the release restores the strategy, and the result says so.
 */
async function restoreStrategies(
  ctx: ReleaseContext,
  declared: readonly KubeObject[],
  o: ShipOptions,
): Promise<string | undefined> {
  const now = ctx.now ?? Date.now;
  try {
    const r = await ctx.apply(declared, {
      wait: false,
      timeoutMs: Math.max(1, o.deadline - now()),
      force: o.force ?? true,
    });
    const refused = r.objects.find((x) => x.action === 'rejected');
    return refused ? `${describeRef(refused)}: ${refused.error ?? 'rejected'}` : undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Deletes the members (live, or recorded by the previous revision) the new set lacks, in reverse
 * dependency order; volumes and namespaces are kept (and leave the set) unless asked.
 */
async function pruneLeftovers(
  ctx: ReleaseContext,
  live: readonly ObjectRef[],
  previous: readonly KubeObject[],
  members: readonly KubeObject[],
  result: ShipResult,
  o: ShipOptions,
): Promise<void> {
  const b: CallOptions = { deadline: o.deadline };
  const plan = planPrune([...live, ...previous.map(toRef)], members.map(toRef), {
    pruneVolumes: o.pruneVolumes ?? false,
  });
  await prune(ctx.api, plan.delete, result, b);
  const liveKeys = new Set(live.map(keyOf));
  for (const ref of plan.kept) {
    if (liveKeys.has(keyOf(ref)))
      await ctx.api.patch(
        ref,
        { metadata: { labels: { [ApplySetLabel.partOf]: null } } },
        { ...b, fieldManager: manager, type: 'merge' },
      );
    result.kept.push(ref);
  }
}

async function prune(
  api: KubeApi,
  refs: readonly ObjectRef[],
  result: ShipResult,
  b: CallOptions,
): Promise<void> {
  for (const ref of refs) {
    try {
      if (await api.delete(ref, b)) result.pruned.push(ref);
    } catch (error) {
      result.pruneErrors.push({
        ref,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

async function record(
  ctx: ReleaseContext,
  history: readonly RevisionInfo[],
  members: readonly KubeObject[],
  result: ShipResult,
  o: ShipOptions,
): Promise<void> {
  const { api, release } = ctx;
  const b: CallOptions = { deadline: o.deadline };
  const n = result.revision;
  await writeRevision(
    api,
    release,
    {
      release: release.name,
      revision: n,
      status: result.status,
      time: new Date((ctx.now ?? Date.now)()).toISOString(),
      description: o.description,
      specDigest: digestOf(members),
      images: imagesOf(members),
      berthVersion: ctx.berthVersion,
      by: ctx.by,
      ...(o.restoredFrom !== undefined ? { restoredFrom: o.restoredFrom } : {}),
      objectCount: members.length,
      objects: [...members],
    },
    b,
  );
  const all = [...history, { revision: n, status: result.status }];
  const event: HistoryEvent =
    result.status === RevisionStatus.failed
      ? { type: 'failed', revision: n }
      : o.undoes !== undefined
        ? { type: 'rolled-back', revision: n, undone: o.undoes }
        : { type: 'deployed', revision: n };
  const changes = statusChanges(all, event);
  await Promise.all(changes.map((c) => setRevisionStatus(api, release, c.revision, c.status, b)));
  const after = all.map((h) => ({
    revision: h.revision,
    status: changes.find((c) => c.revision === h.revision)?.status ?? h.status,
  }));
  await Promise.all(
    revisionsToTrim(after, o.historyMax ?? defaultHistoryMax).map((r) =>
      deleteRevision(api, release, r, b),
    ),
  );
}
