/**
 * The apply runner: server-side applies a set of objects phase by phase (in parallel within a
 * phase), gates custom resources on their CRDs being Established, then optionally waits for
 * every object to be ready with the readiness engine, against a deadline.
 */
import type { KubeClient } from '../kube/client.ts';
import { isObjectRefusal } from '../kube/errors.ts';
import type { KubeObject } from '../model/object.ts';
import { describeRef, refOf } from '../model/object.ts';
import { BerthError } from '../errors.ts';
import { ApplyOutcome, type ApplyEvent, type ApplyResult, type ObjectResult } from './events.ts';
import { groupKindOf } from '../model/group-kind.ts';
import { ApplyPhase, findPvcConsumers, planApply } from './plan/index.ts';
import { assessReadiness } from './readiness/index.ts';
import { waitForReadiness, type WaitTarget } from './wait.ts';

export interface ApplyOptions {
  /** Wait for every object to be ready. @default false */
  wait?: boolean;
  /** Deadline of the whole apply, waits included (ms). @default 300_000 */
  timeoutMs?: number;
  /** Server-side dry run: admission and validation without persisting. @default false */
  dryRun?: boolean;
  /** Take over fields owned by other managers (ADR 0030). @default true */
  force?: boolean;
  /** Parallel applies within a phase. @default 16 */
  concurrency?: number;
  /** Receives progress events. @default ignores them */
  onEvent?: (event: ApplyEvent) => void;
}

/** Applies `objects` and returns what happened; throws only when the cluster is unreachable. */
export async function applyObjects(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const start = performance.now();
  const deadline = start + (options.timeoutMs ?? 300_000);
  const emit = options.onEvent ?? (() => undefined);
  const plan = planApply(objects);
  const results: ObjectResult[] = [];
  const warnings: ApplyResult['warnings'] = [];
  const applied: KubeObject[] = [];
  let rejected = false;

  for (const { phase, objects: phaseObjects } of plan.phases) {
    if (rejected) {
      for (const obj of phaseObjects) results.push({ ...refOf(obj), phase, action: 'skipped' });
      continue;
    }
    emit({ type: 'phase', phase, count: phaseObjects.length });
    const outcomes = await mapLimit(phaseObjects, options.concurrency ?? 16, async (raw) => {
      let obj = raw;
      try {
        obj = await client.placeObject(raw);
        const res = await client.apply(obj, {
          force: options.force ?? true,
          dryRun: options.dryRun ?? false,
        });
        for (const message of res.warnings) {
          warnings.push({ object: describeRef(refOf(obj)), message });
          emit({ type: 'warning', ref: refOf(obj), message });
        }
        emit({ type: 'applied', ref: refOf(res.object), phase });
        return { ok: true as const, obj: res.object };
      } catch (error) {
        if (!isObjectRefusal(error)) throw error;
        const message = error.serverMessage || error.message;
        emit({ type: 'rejected', ref: refOf(obj), message });
        return { ok: false as const, obj, message };
      }
    });
    for (const o of outcomes) {
      if (o.ok) {
        applied.push(o.obj);
        const r = assessReadiness(o.obj);
        results.push({
          ...refOf(o.obj),
          phase,
          action: 'applied',
          status: r.status,
          reason: r.reason,
        });
      } else {
        rejected = true;
        results.push({ ...refOf(o.obj), phase, action: 'rejected', error: o.message });
      }
    }
    if (!rejected && phase === ApplyPhase.cluster && !options.dryRun) {
      await establishCrds(client, applied, deadline, emit, start);
      await refreshDiscovery(client, plan.crdBackedKinds, objects);
    }
  }

  let outcome: ApplyResult['outcome'] = rejected ? ApplyOutcome.rejected : ApplyOutcome.applied;
  if (!rejected && options.wait && !options.dryRun) {
    const targets: WaitTarget[] = applied.map((obj) => ({ obj }));
    const waited = await waitForReadiness(client, targets, {
      deadline,
      start,
      pvcConsumers: findPvcConsumers(objects, client.defaultNamespace),
      onEvent: emit,
    });
    outcome = waited.outcome;
    for (const r of results) {
      const final = waited.readiness.get(keyOfRef(r));
      if (!final) continue;
      r.status = final.readiness.status;
      r.reason = final.readiness.reason;
      if (final.readiness.blocking) r.blockingPod = final.readiness.blocking;
      if (final.readyAfterMs !== undefined) r.readyAfterMs = Math.round(final.readyAfterMs);
    }
  }
  return {
    apiVersion: 'berth.dev/v1alpha1',
    kind: 'ApplyResult',
    outcome,
    cluster: { context: client.config.context, server: client.config.server },
    dryRun: options.dryRun ?? false,
    waited: Boolean(options.wait && !options.dryRun && !rejected),
    elapsedMs: Math.round(performance.now() - start),
    objects: results,
    warnings,
    summary: summarize(results),
  };
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
  client: KubeClient,
  applied: readonly KubeObject[],
  deadline: number,
  emit: (e: ApplyEvent) => void,
  start: number,
): Promise<void> {
  const crds = applied.filter(
    (o) => groupKindOf(o) === 'apiextensions.k8s.io/CustomResourceDefinition',
  );
  if (crds.length === 0) return;
  const result = await waitForReadiness(
    client,
    crds.map((obj) => ({ obj })),
    {
      deadline,
      start,
      pvcConsumers: new Map(),
      onEvent: emit,
    },
  );
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
  client: KubeClient,
  crdKinds: readonly string[],
  objects: readonly KubeObject[],
): Promise<void> {
  const versions = new Set(
    objects
      .filter((o) => crdKinds.includes(groupKindOf(o)))
      .map((o) => `${o.apiVersion}|${o.kind}`),
  );
  for (const v of versions) {
    const [apiVersion = '', kind = ''] = v.split('|');
    await client.resourceFor(apiVersion, kind, true);
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
