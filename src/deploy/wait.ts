/**
 * Waiting for readiness: informers (list + watch, over the port) on the kinds and namespaces of
 * the pending objects and of their pods feed the readiness engine. Only objects touched by a
 * change are re-assessed (a pod or ReplicaSet marks its owners), and each workload sees only its
 * own pods, so the cost per event stays flat as the platform grows. The first change that makes
 * everything ready (or anything fail) ends the wait; at the deadline, a server that stopped
 * answering is blamed, not the workloads.
 */
import type { KubeApi } from '../kube/api.ts';
import { KubeError, TimeoutError, UnavailableError } from '../kube/errors.ts';
import { Informer } from '../kube/informer.ts';
import { groupKindOf } from '../model/group-kind.ts';
import type { KubeObject, ObjectRef } from '../model/object.ts';
import { refOf } from '../model/object.ts';
import { ApplyOutcome, type ApplyEvent } from './events.ts';
import { assessReadiness, type Readiness, type ReadinessContext } from './readiness/index.ts';
import { belowMinimum } from './replicas.ts';
import { WaitIndex } from './wait-index.ts';

export interface WaitTarget {
  /** The object as the apply returned it. */
  obj: KubeObject;
  /** An autoscaled workload: ready only with at least this many ready replicas. */
  minReplicas?: number;
}

export interface WaitOptions {
  /** Absolute deadline, epoch ms. */
  deadline: number;
  /** Start of the apply, epoch ms, to report elapsed times. */
  start: number;
  pvcConsumers: ReadonlyMap<string, readonly ObjectRef[]>;
  onEvent: (event: ApplyEvent) => void;
  /** Aborts the wait. @default none */
  signal?: AbortSignal;
  /** Receives the informers' last view of workloads and pods (for `up`'s table). @default none */
  onObserved?: (objects: readonly KubeObject[]) => void;
  /** @default Date.now */
  now?: () => number;
}

export interface FinalReadiness {
  ref: ObjectRef;
  readiness: Readiness;
  readyAfterMs?: number;
}

export interface WaitResult {
  outcome: (typeof ApplyOutcome)['ready' | 'failed' | 'timeout'];
  readiness: Map<string, FinalReadiness>;
  /** Set when the wait ended because the API server stopped answering. */
  serverProblem?: string;
}

/** How often the live view is refreshed while nothing changes. */
const tickMs = 1000;
/** At the deadline, how long a probe may take to tell a silent server from slow workloads. */
const probeMs = 1500;

export async function waitForReadiness(
  api: KubeApi,
  targets: readonly WaitTarget[],
  options: WaitOptions,
): Promise<WaitResult> {
  const now = options.now ?? Date.now;
  const state = new Map<string, FinalReadiness>();
  const pending = new Map<string, WaitTarget>();
  for (const t of targets) {
    const r = judge(t, assessReadiness(t.obj, { pvcConsumers: options.pvcConsumers }));
    const entry: FinalReadiness = { ref: refOf(t.obj), readiness: r };
    if (r.status === 'Current') entry.readyAfterMs = now() - options.start;
    state.set(keyOf(t.obj), entry);
    if (r.status !== 'Current') pending.set(keyOf(t.obj), t);
  }
  if (pending.size === 0) return { outcome: ApplyOutcome.ready, readiness: state };
  options.onEvent({ type: 'waiting', pending: pending.size, total: targets.length });

  const index = new WaitIndex([...pending.values()].map((t) => t.obj));
  const abort = new AbortController();
  const stopAll = (): void => abort.abort();
  options.signal?.addEventListener('abort', stopAll, { once: true });
  const informers = index.collections().map((c) => new Informer(api, c));
  const dirty = new Set<string>(pending.keys());
  let finish: (outcome: WaitResult['outcome']) => void = () => undefined;
  const done = new Promise<WaitResult['outcome']>((resolve) => (finish = resolve));
  let scheduled = false;
  let storageClasses: KubeObject[] | undefined;

  const evaluate = (): void => {
    scheduled = false;
    for (const key of dirty) {
      const target = pending.get(key);
      const entry = state.get(key);
      if (!target || !entry) continue;
      const live = index.object(key);
      const ctx: ReadinessContext = { pvcConsumers: options.pvcConsumers, ...index.contextOf(key) };
      if (storageClasses) ctx.storageClasses = storageClasses;
      const readiness = live
        ? judge({ ...target, obj: live }, assessReadiness(live, ctx))
        : { status: 'InProgress' as const, reason: 'not found yet' };
      const changed =
        readiness.status !== entry.readiness.status || readiness.reason !== entry.readiness.reason;
      entry.readiness = readiness;
      const elapsedMs = now() - options.start;
      if (changed) options.onEvent({ type: 'status', ref: entry.ref, readiness, elapsedMs });
      if (readiness.status === 'Current') {
        entry.readyAfterMs = elapsedMs;
        pending.delete(key);
      }
      if (readiness.status === 'Failed') return finish(ApplyOutcome.failed);
    }
    dirty.clear();
    if (pending.size === 0) finish(ApplyOutcome.ready);
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(evaluate);
  };
  for (const informer of informers) {
    const changed = (obj: KubeObject): void => {
      slim(obj);
      index.update(informer.collection, obj);
      for (const key of index.affected(informer.collection, obj)) dirty.add(key);
      schedule();
    };
    const deleted = (obj: KubeObject): void => {
      index.remove(informer.collection, obj);
      for (const key of index.affected(informer.collection, obj)) dirty.add(key);
      schedule();
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', deleted);
  }

  const deadlineTimer = setTimeout(
    () => finish(ApplyOutcome.timeout),
    Math.max(0, options.deadline - now()),
  );
  const ticker = setInterval(() => {
    options.onEvent({ type: 'tick', elapsedMs: now() - options.start });
  }, tickMs);
  try {
    const bounds = { deadline: options.deadline, signal: abort.signal };
    if ([...pending.values()].some((t) => t.obj.kind === 'PersistentVolumeClaim'))
      storageClasses = (
        await api.list({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' }, bounds)
      ).items;
    await Promise.race([Promise.all(informers.map((i) => i.start())), done]);
    schedule();
    const outcome = await done;
    options.onObserved?.(index.observed());
    if (outcome !== ApplyOutcome.timeout) return { outcome, readiness: state };
    const serverProblem = await diagnoseServer(api, informers, now);
    return serverProblem
      ? { outcome, readiness: state, serverProblem }
      : { outcome, readiness: state };
  } catch (error) {
    // The server did not answer the lists (paused, overloaded): that, not the workloads, is why.
    if (error instanceof TimeoutError || error instanceof UnavailableError)
      return { outcome: ApplyOutcome.timeout, readiness: state, serverProblem: error.message };
    throw error;
  } finally {
    clearTimeout(deadlineTimer);
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', stopAll);
    await Promise.all(informers.map((i) => i.stop()));
  }
}

/**
 * Drops what the readiness engine never reads and what weighs most in a pod or workload (its
 * managedFields, a last-applied annotation) from objects the wait's own informers hold: for 300
 * agents the cached pods, ReplicaSets and Deployments are most of the wait's memory.
 */
function slim(obj: KubeObject): void {
  delete obj.metadata.managedFields;
  const annotations = obj.metadata.annotations;
  if (annotations && lastApplied in annotations) delete annotations[lastApplied];
}
const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/** An autoscaled workload below its minimum is not ready, whatever its status says. */
function judge(target: WaitTarget, readiness: Readiness): Readiness {
  if (readiness.status !== 'Current' || target.minReplicas === undefined) return readiness;
  const below = belowMinimum(target.obj, target.minReplicas);
  return below ? { status: 'InProgress', reason: below } : readiness;
}

/**
 * At the deadline: did the server stop answering? A watch that failed and never came back, or
 * a probe that gets no answer, says so.
 */
async function diagnoseServer(
  api: KubeApi,
  informers: readonly Informer[],
  now: () => number,
): Promise<string | undefined> {
  const failed = informers.find((i) => i.lastError instanceof KubeError);
  try {
    await api.resource('v1', 'Namespace', { refresh: true, deadline: now() + probeMs });
  } catch (error) {
    if (error instanceof TimeoutError || error instanceof UnavailableError)
      return `the API server at ${api.server} stopped answering during the wait (${error.message})`;
  }
  return failed && failed.lastError instanceof Error
    ? `watching ${failed.collection.kind} failed at the end of the wait: ${failed.lastError.message}`
    : undefined;
}

export function keyOf(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${groupKindOf(obj)}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}
