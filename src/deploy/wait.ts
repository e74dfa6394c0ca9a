/**
 * Waiting for readiness: informers (list + watch) on the kinds and namespaces of the pending
 * objects and of their pods feed the readiness engine, which is re-run after every change. No
 * polling loop: the first change that makes everything ready (or anything fail) ends the wait.
 */
import type { KubeClient } from '../kube/client.ts';
import { Informer, type InformerTarget } from '../kube/informer.ts';
import type { KubeObject, ObjectRef } from '../model/object.ts';
import { refOf } from '../model/object.ts';
import { ApplyOutcome, type ApplyEvent } from './events.ts';
import { groupKindOf } from '../model/group-kind.ts';
import { assessReadiness, type Readiness, type ReadinessContext } from './readiness/index.ts';

export interface WaitTarget {
  /** The object as the apply returned it. */
  obj: KubeObject;
}

export interface WaitOptions {
  /** Absolute deadline (performance.now() clock). */
  deadline: number;
  /** Start of the apply (performance.now() clock), to report elapsed times. */
  start: number;
  pvcConsumers: ReadonlyMap<string, readonly ObjectRef[]>;
  onEvent: (event: ApplyEvent) => void;
}

export interface FinalReadiness {
  ref: ObjectRef;
  readiness: Readiness;
  readyAfterMs?: number;
}

export interface WaitResult {
  outcome: (typeof ApplyOutcome)['ready' | 'failed' | 'timeout'];
  readiness: Map<string, FinalReadiness>;
}

const podOwners = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'batch/Job',
]);

/** How often the live view is refreshed while nothing changes. */
const tickMs = 1000;

export async function waitForReadiness(
  client: KubeClient,
  targets: readonly WaitTarget[],
  options: WaitOptions,
): Promise<WaitResult> {
  const state = new Map<string, FinalReadiness>();
  const pending: KubeObject[] = [];
  for (const { obj } of targets) {
    const r = assessReadiness(obj, { pvcConsumers: options.pvcConsumers });
    const entry: FinalReadiness = { ref: refOf(obj), readiness: r };
    if (r.status === 'Current') entry.readyAfterMs = performance.now() - options.start;
    state.set(key(obj), entry);
    if (r.status !== 'Current') pending.push(obj);
  }
  if (pending.length === 0) return { outcome: ApplyOutcome.ready, readiness: state };
  options.onEvent({ type: 'waiting', pending: pending.length, total: targets.length });

  const informers = informerTargets(pending).map((t) => new Informer(client, t, () => schedule()));
  const storageClasses = pending.some((o) => o.kind === 'PersistentVolumeClaim')
    ? (await client.list('storage.k8s.io/v1', 'StorageClass')).items
    : undefined;

  let scheduled = false;
  let finish: (outcome: WaitResult['outcome']) => void = () => undefined;
  const done = new Promise<WaitResult['outcome']>((resolve) => (finish = resolve));

  const evaluate = (): void => {
    scheduled = false;
    let remaining = 0;
    for (const obj of pending) {
      const k = key(obj);
      const entry = state.get(k);
      if (!entry || (entry.readiness.status === 'Current' && entry.readyAfterMs !== undefined))
        continue;
      const live = find(informers, obj);
      const readiness = live
        ? assessReadiness(live, contextFor(live, informers, storageClasses, options.pvcConsumers))
        : { status: 'InProgress' as const, reason: 'not found yet' };
      const changed =
        readiness.status !== entry.readiness.status || readiness.reason !== entry.readiness.reason;
      entry.readiness = readiness;
      const elapsedMs = performance.now() - options.start;
      if (readiness.status === 'Current') entry.readyAfterMs = elapsedMs;
      if (changed) options.onEvent({ type: 'status', ref: entry.ref, readiness, elapsedMs });
      if (readiness.status === 'Failed') return finish(ApplyOutcome.failed);
      if (readiness.status !== 'Current') remaining++;
    }
    const broken = informers.find((i) => i.error);
    if (broken?.error) throw broken.error;
    if (remaining === 0) finish(ApplyOutcome.ready);
  };
  let failure: Error | undefined;
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      try {
        evaluate();
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        finish(ApplyOutcome.failed);
      }
    });
  };

  const deadlineTimer = setTimeout(
    () => finish(ApplyOutcome.timeout),
    Math.max(0, options.deadline - performance.now()),
  );
  const ticker = setInterval(() => {
    options.onEvent({ type: 'tick', elapsedMs: performance.now() - options.start });
  }, tickMs);
  try {
    await Promise.all(informers.map((i) => i.start()));
    schedule();
    const outcome = await done;
    if (failure) throw failure;
    return { outcome, readiness: state };
  } finally {
    clearTimeout(deadlineTimer);
    clearInterval(ticker);
    for (const i of informers) i.stop();
  }
}

function key(obj: KubeObject): string {
  return `${groupKindOf(obj)}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/** One informer per (kind, namespace) of pending objects, plus pods and ReplicaSets for workloads. */
function informerTargets(pending: readonly KubeObject[]): InformerTarget[] {
  const out = new Map<string, InformerTarget>();
  const add = (apiVersion: string, kind: string, namespace?: string): void => {
    const t: InformerTarget = namespace ? { apiVersion, kind, namespace } : { apiVersion, kind };
    out.set(`${apiVersion}|${kind}|${namespace ?? ''}`, t);
  };
  for (const obj of pending) {
    const ns = obj.metadata.namespace;
    add(obj.apiVersion, obj.kind, ns);
    if (podOwners.has(groupKindOf(obj))) add('v1', 'Pod', ns);
    if (groupKindOf(obj) === 'apps/Deployment') add('apps/v1', 'ReplicaSet', ns);
  }
  return [...out.values()];
}

function find(informers: readonly Informer[], obj: KubeObject): KubeObject | undefined {
  const { apiVersion, kind, namespace } = { ...obj, namespace: obj.metadata.namespace };
  const informer = informers.find(
    (i) =>
      i.target.kind === kind &&
      i.target.apiVersion === apiVersion &&
      i.target.namespace === namespace,
  );
  return informer?.get(obj.metadata.name, namespace);
}

function contextFor(
  obj: KubeObject,
  informers: readonly Informer[],
  storageClasses: readonly KubeObject[] | undefined,
  pvcConsumers: ReadonlyMap<string, readonly ObjectRef[]>,
): ReadinessContext {
  const ns = obj.metadata.namespace;
  const items = (kind: string): KubeObject[] =>
    informers
      .filter((i) => i.target.kind === kind && i.target.namespace === ns)
      .flatMap((i) => i.items());
  const ctx: ReadinessContext = { pvcConsumers };
  if (podOwners.has(groupKindOf(obj))) ctx.pods = items('Pod');
  if (obj.kind === 'Deployment') ctx.replicaSets = items('ReplicaSet');
  if (storageClasses) ctx.storageClasses = storageClasses;
  return ctx;
}
