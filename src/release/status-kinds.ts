/**
 * What `berth status` says about the kinds that are not plain replica workloads (pure): a Job's
 * completions, a CronJob's last runs, a PersistentVolumeClaim's binding, a StatefulSet's claims,
 * and who owns a workload's replicas (an HPA, a KEDA ScaledObject or berth's autoscaler).
 */
import { MAX_ANNOTATION, MIN_ANNOTATION, ENGINE_ANNOTATION } from '../autoscale/names.ts';
import {
  assessReadiness,
  type Readiness,
  type ReadinessContext,
} from '../deploy/readiness/index.ts';
import type { KubeObject } from '../model/object.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' ? (v as Rec) : {});
const num = (v: unknown, d = 0): number => (typeof v === 'number' ? v : d);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
function conditions(obj: KubeObject): Condition[] {
  const c = rec(obj.status).conditions;
  return Array.isArray(c) ? (c as Condition[]) : [];
}
function ownedBy(obj: KubeObject, uid: unknown): boolean {
  const refs = obj.metadata.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => rec(r).uid === uid);
}

export interface KindStatus {
  readiness: Readiness;
  ready: number;
  desired: number;
  notes: string[];
}

/** A Job: ready when Complete (berth's rule, ADR 0031), `succeeded/completions`. */
export function jobStatus(live: KubeObject, ctx: ReadinessContext): KindStatus {
  const spec = rec(live.spec);
  const completions = num(spec.completions, num(spec.parallelism, 1));
  return {
    readiness: assessReadiness(live, ctx),
    ready: num(rec(live.status).succeeded),
    desired: completions,
    notes: [],
  };
}

/**
 * A CronJob is healthy unless the newest of its Jobs that finished failed: kstatus has no rule
 * for it (always Current), but a Helm user asks "did the last backup run?". Active runs are
 * counted; a suspended CronJob is healthy and says so.
 */
export function cronJobStatus(live: KubeObject, jobs: readonly KubeObject[]): KindStatus {
  const spec = rec(live.spec);
  const status = rec(live.status);
  const own = jobs
    .filter((j) => ownedBy(j, live.metadata.uid))
    .sort((a, b) => (created(a) < created(b) ? -1 : 1));
  const finished = own.filter((j) => finishedAs(j) !== undefined);
  const last = finished.at(-1);
  const active = own.filter((j) => finishedAs(j) === undefined).length;
  const notes: string[] = [];
  if (active > 0) notes.push(`${active} run(s) active`);
  const lastSuccess = str(status.lastSuccessfulTime);
  const schedule = `schedule "${str(spec.schedule) ?? '?'}"`;
  let readiness: Readiness;
  if (spec.suspend === true) readiness = { status: 'Current', reason: `suspended (${schedule})` };
  else if (last && finishedAs(last) === 'Failed') {
    const c = conditions(last).find((x) => x.type === 'Failed' && x.status === 'True');
    readiness = {
      status: 'Failed',
      reason: `last run, Job ${last.metadata.name}, failed: ${c?.reason ?? 'Failed'}${c?.message ? `: ${c.message}` : ''}${lastSuccess ? `; last success ${lastSuccess}` : ''}`,
    };
  } else
    readiness = {
      status: 'Current',
      reason: lastSuccess
        ? `${schedule}; last success ${lastSuccess}`
        : `${schedule}; no successful run yet`,
    };
  return { readiness, ready: active, desired: active, notes };
}

function created(o: KubeObject): string {
  return str(o.metadata.creationTimestamp) ?? '';
}
function finishedAs(job: KubeObject): 'Complete' | 'Failed' | undefined {
  for (const c of conditions(job))
    if (c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed')) return c.type;
  return undefined;
}

/** A claim: Bound (with its size) is ready; Pending says why; Lost fails. */
export function pvcStatus(live: KubeObject, ctx: ReadinessContext): KindStatus {
  const r = assessReadiness(live, ctx);
  const bound = str(rec(live.status).phase) === 'Bound';
  const size = str(rec(rec(live.status).capacity).storage);
  const readiness = bound && size ? { ...r, reason: `${r.reason} (${size})` } : r;
  return { readiness, ready: bound ? 1 : 0, desired: 1, notes: [] };
}

/**
 * A StatefulSet's claims from its volumeClaimTemplates (`<template>-<set>-<ordinal>`), one note:
 * how many of the replicas' claims are Bound, naming those that are not.
 */
export function statefulSetClaimsNote(
  live: KubeObject,
  pvcs: readonly KubeObject[],
): string | undefined {
  const spec = rec(live.spec);
  const templates = Array.isArray(spec.volumeClaimTemplates)
    ? (spec.volumeClaimTemplates as KubeObject[])
    : [];
  if (templates.length === 0) return undefined;
  const replicas = num(spec.replicas, 1);
  const names: string[] = [];
  for (const t of templates)
    for (let i = 0; i < replicas; i++) names.push(`${t.metadata.name}-${live.metadata.name}-${i}`);
  const ns = live.metadata.namespace;
  const phase = (name: string): string =>
    str(
      rec(pvcs.find((p) => p.metadata.name === name && p.metadata.namespace === ns)?.status).phase,
    ) ?? 'missing';
  const notBound = names.filter((n) => phase(n) !== 'Bound');
  const head = `claims: ${names.length - notBound.length}/${names.length} Bound`;
  return notBound.length ? `${head} (${notBound.map((n) => `${n} ${phase(n)}`).join(', ')})` : head;
}

export interface ScaledBy {
  /** `HorizontalPodAutoscaler web/api (min 2, max 10)`. */
  by: string;
  min: number;
  /** Things that do not fail the row but need a look (an HPA that cannot read its metrics). */
  notes: string[];
}

/**
 * Who owns the workload's replicas: an HPA or ScaledObject targeting it (live objects of its
 * namespace), else berth's autoscaler (its annotations on the workload).
 */
export function scaledBy(
  workload: KubeObject,
  autoscalers: readonly KubeObject[],
): ScaledBy | undefined {
  for (const a of autoscalers) {
    const spec = rec(a.spec);
    const target = rec(spec.scaleTargetRef);
    if (
      a.metadata.namespace !== workload.metadata.namespace ||
      target.name !== workload.metadata.name ||
      (str(target.kind) ?? 'Deployment') !== workload.kind
    )
      continue;
    const hpa = a.kind === 'HorizontalPodAutoscaler';
    const min = hpa ? num(spec.minReplicas, 1) : num(spec.minReplicaCount, 0);
    const max = hpa ? num(spec.maxReplicas, 0) : num(spec.maxReplicaCount, 100);
    const watched = hpa ? ['AbleToScale', 'ScalingActive'] : ['Ready'];
    const notes = conditions(a)
      .filter((c) => c.status === 'False' && watched.includes(c.type ?? ''))
      .map(
        (c) =>
          `${a.kind} ${a.metadata.namespace}/${a.metadata.name}: ${c.type} False${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
      );
    return { by: `${a.kind} ${a.metadata.name} (min ${min}, max ${max})`, min, notes };
  }
  const ann = workload.metadata.annotations ?? {};
  const min = Number(ann[MIN_ANNOTATION]);
  if (ann[ENGINE_ANNOTATION] === 'berth' || Number.isInteger(min)) {
    const lo = Number.isInteger(min) ? min : 0;
    const max = ann[MAX_ANNOTATION] ?? '?';
    return { by: `berth autoscaler (min ${lo}, max ${max})`, min: lo, notes: [] };
  }
  return undefined;
}

/** A reason when the live workload has fewer ready replicas than its autoscaler's minimum. */
export function belowMinimum(live: KubeObject, min: number): string | undefined {
  const ready = num(rec(live.status).readyReplicas);
  return ready < min ? `ready: ${ready}/${min}, below its autoscaler's minimum` : undefined;
}
