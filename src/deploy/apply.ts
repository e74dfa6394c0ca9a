/**
 * The apply runner: server-side applies a set of objects phase by phase (in parallel within a
 * phase) as one actor's field manager, gates custom resources on their CRDs being Established,
 * then optionally waits for every object to be ready with the readiness engine. One deadline
 * bounds everything: every request carries it (ADR 0061).
 */
import { setMaxListeners } from 'node:events';
import type { KubeApi } from '../kube/api.ts';
import { isObjectRefusal } from '../kube/errors.ts';
import type { KubeObject } from '../model/object.ts';
import { describeRef, refOf } from '../model/object.ts';
import { BerthError } from '../errors.ts';
import { ApplyOutcome, type ApplyEvent, type ApplyResult, type ObjectResult } from './events.ts';
import { groupKindOf } from '../model/group-kind.ts';
import { applyObject, placeObject, type AppliedObject } from './apply-object.ts';
import { ApplyPhase, findPvcConsumers, planApply, planLedApply } from './plan/index.ts';
import { assessReadiness } from './readiness/index.ts';
import { autoscaledWorkloads } from './replicas.ts';
import { waitForReadiness, type WaitTarget } from './wait.ts';

export interface ApplyOptions {
  /** The actor's field manager. @default 'berth' */
  fieldManager?: string;
  /** Wait for every object to be ready. @default false */
  wait?: boolean;
  /** Deadline of the whole apply, waits included (ms). @default 300_000 */
  timeoutMs?: number;
  /** Server-side dry run: admission and validation without persisting. @default false */
  dryRun?: boolean;
  /** Take over fields owned by other managers, reporting each (ADR 0030). @default true */
  force?: boolean;
  /** Parallel applies within a phase. @default 16 */
  concurrency?: number;
  /**
   * Applies the objects it selects first, each lane in dependency order (a rollback's changed
   * objects and what their pods use, ADR 0151). @default one lane
   */
  leads?: (obj: KubeObject) => boolean;
  /** Receives progress events. @default ignores them */
  onEvent?: (event: ApplyEvent) => void;
  /** Receives the wait's last view of the workloads and their pods. @default none */
  onObserved?: (objects: readonly KubeObject[]) => void;
  /** The kubeconfig context, for the result. @default '' */
  context?: string;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Applies `objects` and returns what happened. Throws when the cluster itself fails (credentials
 * refused, server unreachable or silent past the deadline), once, not per object.
 */
export async function applyObjects(
  api: KubeApi,
  objects: readonly KubeObject[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const now = options.now ?? Date.now;
  const start = now();
  const deadline = start + (options.timeoutMs ?? 300_000);
  const abort = new AbortController();
  // Every request in flight and every informer listens to this one signal.
  setMaxListeners(0, abort.signal);
  const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - start));
  try {
    return await run(api, objects, options, { start, deadline, signal: abort.signal, now });
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

interface Bounds {
  start: number;
  deadline: number;
  signal: AbortSignal;
  now: () => number;
}

async function run(
  api: KubeApi,
  objects: readonly KubeObject[],
  options: ApplyOptions,
  bounds: Bounds,
): Promise<ApplyResult> {
  const { start, deadline, signal, now } = bounds;
  const emit = options.onEvent ?? (() => undefined);
  const fieldManager = options.fieldManager ?? 'berth';
  const dryRun = options.dryRun ?? false;
  const plan = options.leads ? planLedApply(objects, options.leads) : planApply(objects);
  const autoscaled = autoscaledWorkloads(
    objects.map((o) =>
      o.metadata.namespace
        ? o
        : { ...o, metadata: { ...o.metadata, namespace: api.defaultNamespace } },
    ),
  );
  const results: ObjectResult[] = [];
  const warnings: ApplyResult['warnings'] = [];
  const applied: { obj: KubeObject; minReplicas?: number }[] = [];
  let rejected = false;

  for (const { phase, objects: phaseObjects, lane } of plan.phases) {
    if (rejected) {
      for (const obj of phaseObjects) results.push({ ...refOf(obj), phase, action: 'skipped' });
      continue;
    }
    emit({ type: 'phase', phase, count: phaseObjects.length, ...(lane ? { lane } : {}) });
    const outcomes = await mapLimit(phaseObjects, options.concurrency ?? 16, (raw) =>
      applyOne(api, raw, {
        phase,
        fieldManager,
        dryRun,
        force: options.force ?? true,
        autoscaled,
        bounds,
        emit,
        warnings,
      }),
    );
    for (const o of outcomes) {
      if (o.ok) {
        applied.push({
          obj: o.res.object,
          ...(o.minReplicas !== undefined ? { minReplicas: o.minReplicas } : {}),
        });
        results.push(resultOf(o.res, phase));
      } else {
        rejected = true;
        results.push({ ...refOf(o.obj), phase, action: 'rejected', error: o.message });
      }
    }
    if (!rejected && phase === ApplyPhase.cluster && !dryRun) {
      await establishCrds(
        api,
        applied.map((a) => a.obj),
        bounds,
        emit,
      );
      await refreshDiscovery(api, plan.crdBackedKinds, objects, bounds);
    }
  }

  let outcome: ApplyResult['outcome'] = rejected ? ApplyOutcome.rejected : ApplyOutcome.applied;
  let serverProblem: string | undefined;
  if (!rejected && options.wait && !dryRun) {
    const targets: WaitTarget[] = applied;
    const waited = await waitForReadiness(api, targets, {
      deadline,
      start,
      signal,
      now,
      pvcConsumers: findPvcConsumers(objects, api.defaultNamespace),
      onEvent: emit,
      ...(options.onObserved ? { onObserved: options.onObserved } : {}),
    });
    outcome = waited.outcome;
    serverProblem = waited.serverProblem;
    mergeWait(results, waited.readiness);
  }
  return {
    apiVersion: 'berth.dev/v1alpha1',
    kind: 'ApplyResult',
    outcome,
    cluster: { context: options.context ?? '', server: api.server },
    dryRun,
    waited: Boolean(options.wait && !dryRun && !rejected),
    elapsedMs: Math.round(now() - start),
    objects: results,
    warnings,
    ...(serverProblem ? { serverProblem } : {}),
    summary: summarize(results),
  };
}

type Outcome =
  | { ok: true; res: AppliedObject; minReplicas: number | undefined }
  | { ok: false; obj: KubeObject; message: string };

/** Applies one object; a refusal of the object is an outcome, any other failure throws. */
async function applyOne(
  api: KubeApi,
  raw: KubeObject,
  c: {
    phase: ApplyPhase;
    fieldManager: string;
    dryRun: boolean;
    force: boolean;
    autoscaled: ReturnType<typeof autoscaledWorkloads>;
    bounds: Bounds;
    emit: (e: ApplyEvent) => void;
    warnings: ApplyResult['warnings'];
  },
): Promise<Outcome> {
  const { deadline, signal } = c.bounds;
  let obj = raw;
  try {
    obj = await placeObject(api, raw, { deadline, signal });
    const scaled = c.autoscaled.get(keyOfRef(refOf(obj)));
    const res = await applyObject(api, obj, {
      fieldManager: c.fieldManager,
      force: c.force,
      dryRun: c.dryRun,
      deadline,
      signal,
      ...(scaled ? { autoscaled: scaled } : {}),
    });
    const ref = refOf(obj);
    for (const message of res.warnings) {
      c.warnings.push({ object: describeRef(ref), message });
      c.emit({ type: 'warning', ref, message });
    }
    if (res.drift.length) c.emit({ type: 'drift', ref, fields: res.drift, dryRun: c.dryRun });
    c.emit({ type: 'applied', ref: refOf(res.object), phase: c.phase });
    return { ok: true, res, minReplicas: scaled?.minReplicas };
  } catch (error) {
    if (!isObjectRefusal(error)) throw error;
    const message = error.serverMessage || error.message;
    c.emit({ type: 'rejected', ref: refOf(obj), message });
    return { ok: false, obj, message };
  }
}

/** Puts the wait's final verdicts into the results. */
function mergeWait(
  results: ObjectResult[],
  readiness: Awaited<ReturnType<typeof waitForReadiness>>['readiness'],
): void {
  for (const r of results) {
    const final = readiness.get(keyOfRef(r));
    if (!final) continue;
    r.status = final.readiness.status;
    r.reason = final.readiness.reason;
    if (final.readiness.blocking) r.blockingPod = final.readiness.blocking;
    if (final.readyAfterMs !== undefined) r.readyAfterMs = Math.round(final.readyAfterMs);
  }
}

function resultOf(res: AppliedObject, phase: ApplyPhase): ObjectResult {
  const r = assessReadiness(res.object);
  const out: ObjectResult = {
    ...refOf(res.object),
    phase,
    action: 'applied',
    status: r.status,
    reason: r.reason,
  };
  if (res.drift.length) out.drift = res.drift;
  if (res.createdAtReplicas !== undefined) out.createdAtReplicas = res.createdAtReplicas;
  return out;
}

export function keyOfRef(r: {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}): string {
  return `${groupKindOf(r)}/${r.namespace ?? ''}/${r.name}`;
}

/** Waits (always, even without --wait) for the CRDs just applied to be Established. */
async function establishCrds(
  api: KubeApi,
  applied: readonly KubeObject[],
  bounds: Bounds,
  emit: (e: ApplyEvent) => void,
): Promise<void> {
  const crds = applied.filter(
    (o) => groupKindOf(o) === 'apiextensions.k8s.io/CustomResourceDefinition',
  );
  if (crds.length === 0) return;
  const result = await waitForReadiness(
    api,
    crds.map((obj) => ({ obj })),
    {
      deadline: bounds.deadline,
      start: bounds.start,
      signal: bounds.signal,
      now: bounds.now,
      pvcConsumers: new Map(),
      onEvent: emit,
    },
  );
  if (result.serverProblem) throw new BerthError('cluster', result.serverProblem);
  if (result.outcome !== ApplyOutcome.ready) {
    const pending = [...result.readiness.values()]
      .filter((r) => r.readiness.status !== 'Current')
      .map((r) => `${describeRef(r.ref)}: ${r.readiness.reason}`);
    throw new BerthError(
      'cluster',
      `CustomResourceDefinitions not Established: ${pending.join('; ')}`,
    );
  }
}

/** Forgets the discovery of groups whose CRDs were just applied, so their kinds resolve. */
async function refreshDiscovery(
  api: KubeApi,
  crdKinds: readonly string[],
  objects: readonly KubeObject[],
  bounds: Bounds,
): Promise<void> {
  const versions = new Set(
    objects
      .filter((o) => crdKinds.includes(groupKindOf(o)))
      .map((o) => `${o.apiVersion}|${o.kind}`),
  );
  for (const v of versions) {
    const [apiVersion = '', kind = ''] = v.split('|');
    await api.resource(apiVersion, kind, {
      refresh: true,
      deadline: bounds.deadline,
      signal: bounds.signal,
    });
  }
}

function summarize(results: readonly ObjectResult[]): ApplyResult['summary'] {
  const count = (f: (r: ObjectResult) => boolean) => results.filter(f).length;
  return {
    total: results.length,
    applied: count((r) => r.action === 'applied'),
    rejected: count((r) => r.action === 'rejected'),
    skipped: count((r) => r.action === 'skipped'),
    current: count((r) => r.status === 'Current'),
    inProgress: count((r) => r.status === 'InProgress'),
    failed: count((r) => r.status === 'Failed'),
  };
}

/** Runs `fn` over `items` with at most `limit` in flight; keeps the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
