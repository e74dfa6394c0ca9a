/**
 * The watchdog's hands: the four allowlisted actions, their inverses (read before acting), the
 * verification of the outcome with the readiness engine under a deadline, and undo. Every write
 * is namespaced and made as field manager `berth-watchdog`; nothing else is possible here.
 */
import { assessReadiness } from '../../deploy/readiness/index.ts';
import type { KubeApi } from '../../kube/api.ts';
import { FieldManager, operationBounds } from '../../kube/api.ts';
import { BerthError, ErrorCode } from '../../errors.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import type { Inverse, LedgerEntry, PlannedAction } from '../policy/types.ts';

export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';
const write = { fieldManager: FieldManager.watchdog };

export interface VerifyResult {
  ok: boolean;
  reason: string;
}

export interface Actuator {
  inverseFor(action: PlannedAction): Promise<Inverse>;
  execute(action: PlannedAction): Promise<void>;
  verify(action: PlannedAction, deadline: number): Promise<VerifyResult>;
  undo(entry: LedgerEntry): Promise<string>;
}

function apiVersionOf(kind: string): string {
  return kind === 'Pod' ? 'v1' : kind === 'Job' ? 'batch/v1' : 'apps/v1';
}

function requireNamespaced(ref: ObjectRef): void {
  if (!ref.namespace)
    throw new BerthError(
      ErrorCode.internal,
      `refusing a cluster-scoped write to ${ref.kind} ${ref.name}`,
    );
}

export class KubeActuator implements Actuator {
  constructor(
    private readonly kube: KubeApi,
    private readonly opts: {
      now?: () => number;
      sleep?: (ms: number) => Promise<void>;
      pollMs?: number;
    } = {},
  ) {}

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }

  async inverseFor(action: PlannedAction): Promise<Inverse> {
    const ref = { ...action.target, apiVersion: apiVersionOf(action.target.kind) };
    switch (action.action) {
      case 'rollout-restart': {
        const live = await this.mustGet(ref);
        const template = (
          live as { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }
        ).spec?.template;
        const inverse: Inverse = {
          type: 'restore-restarted-at',
          previous: template?.metadata?.annotations?.[restartedAtAnnotation] ?? null,
        };
        const revision = live.metadata.annotations?.['deployment.kubernetes.io/revision'];
        if (revision) inverse.previousRevision = revision;
        return inverse;
      }
      case 'scale':
        return {
          type: 'scale',
          replicas: (await this.kube.getScale(ref, operationBounds(15_000))).replicas,
        };
      case 'delete-job':
        return { type: 'recreate', manifest: recreatable(await this.mustGet(ref)) };
      case 'delete-pod':
        return {
          type: 'none',
          why: 'a deleted pod is recreated by its controller; there is nothing to put back',
        };
    }
  }

  async execute(action: PlannedAction): Promise<void> {
    requireNamespaced(action.target);
    const ref = { ...action.target, apiVersion: apiVersionOf(action.target.kind) };
    const bounds = operationBounds(15_000);
    switch (action.action) {
      case 'rollout-restart':
        await this.kube.patch(ref, restartPatch(new Date(this.now).toISOString()), {
          ...write,
          ...bounds,
          type: 'merge',
        });
        return;
      case 'scale':
        await this.kube.patchScale(ref, action.replicas ?? 0, { ...write, ...bounds });
        return;
      case 'delete-pod':
      case 'delete-job':
        await this.kube.delete(ref, { ...bounds, propagation: 'Background' });
        return;
    }
  }

  async verify(action: PlannedAction, deadline: number): Promise<VerifyResult> {
    if (action.action === 'delete-job') return { ok: true, reason: 'Job deleted' };
    const workload =
      action.action === 'delete-pod' ? undefined : { ...action.target, apiVersion: 'apps/v1' };
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last = 'not checked';
    while (this.now < deadline) {
      if (!workload) {
        const pod = await this.kube.get(
          { ...action.target, apiVersion: 'v1' },
          operationBounds(10_000),
        );
        if (!pod) return { ok: true, reason: 'pod deleted; its controller recreates it' };
        last = 'pod still there';
      } else {
        const obj = await this.mustGet(workload);
        const ns = workload.namespace!;
        const pods = (
          await this.kube.list(
            { apiVersion: 'v1', kind: 'Pod', namespace: ns },
            operationBounds(10_000),
          )
        ).items;
        const replicaSets =
          workload.kind === 'Deployment'
            ? (
                await this.kube.list(
                  { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns },
                  operationBounds(10_000),
                )
              ).items
            : [];
        const r = assessReadiness(obj, { pods, replicaSets });
        last = r.reason;
        if (r.status === 'Current') return { ok: true, reason: r.reason };
        if (r.status === 'Failed') return { ok: false, reason: r.reason };
      }
      await sleep(Math.min(this.opts.pollMs ?? 1000, Math.max(0, deadline - this.now)));
    }
    return { ok: false, reason: `not ready before the deadline: ${last}` };
  }

  async undo(entry: LedgerEntry): Promise<string> {
    const target = entry.action.target;
    requireNamespaced(target);
    const ref = { ...target, apiVersion: apiVersionOf(target.kind) };
    const bounds = operationBounds(15_000);
    const inv = entry.inverse;
    switch (inv.type) {
      case 'restore-restarted-at':
        await this.kube.patch(ref, restartPatch(inv.previous), {
          ...write,
          ...bounds,
          type: 'merge',
        });
        return inv.previous
          ? `restored ${restartedAtAnnotation}=${inv.previous}`
          : `removed ${restartedAtAnnotation} (the pods return to the previous template)`;
      case 'scale':
        await this.kube.patchScale(ref, inv.replicas, { ...write, ...bounds });
        return `scaled back to ${inv.replicas}`;
      case 'recreate':
        await this.kube.create(inv.manifest, { ...write, ...bounds });
        return `recreated ${inv.manifest.kind} ${target.namespace}/${target.name}`;
      case 'none':
        throw new BerthError(
          ErrorCode.usage,
          `ledger entry ${entry.id} cannot be undone: ${inv.why}`,
        );
    }
  }

  private async mustGet(ref: ObjectRef): Promise<KubeObject> {
    const obj = await this.kube.get(ref, operationBounds(15_000));
    if (!obj)
      throw new BerthError(
        ErrorCode.cluster,
        `${ref.kind} ${ref.namespace}/${ref.name} does not exist`,
      );
    return obj;
  }
}

function restartPatch(value: string | null): unknown {
  return { spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: value } } } } };
}

/** A Job as it can be created again: no status, server fields or generated selector/labels. */
export function recreatable(job: KubeObject): KubeObject {
  const generated = [
    'controller-uid',
    'batch.kubernetes.io/controller-uid',
    'job-name',
    'batch.kubernetes.io/job-name',
  ];
  const { status: _status, ...rest } = job as KubeObject & { status?: unknown };
  const spec = { ...((rest as { spec?: Record<string, unknown> }).spec ?? {}) };
  delete spec.selector;
  delete spec.manualSelector;
  const template = spec.template as { metadata?: { labels?: Record<string, string> } } | undefined;
  if (template?.metadata?.labels) {
    const labels = { ...template.metadata.labels };
    for (const g of generated) delete labels[g];
    spec.template = { ...template, metadata: { ...template.metadata, labels } };
  }
  const labels = { ...(job.metadata.labels ?? {}) };
  for (const g of generated) delete labels[g];
  const metadata: KubeObject['metadata'] = { name: job.metadata.name, labels };
  if (job.metadata.namespace) metadata.namespace = job.metadata.namespace;
  if (job.metadata.annotations) metadata.annotations = job.metadata.annotations;
  return { apiVersion: job.apiVersion, kind: job.kind, metadata, spec };
}
