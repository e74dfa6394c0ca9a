/**
 * The fence (ADR 0104): a KubeApi decorator that lets a write through only while this process
 * holds a fresh lease, and bounds the write by the lease. Every acting part of `berth serve`
 * (watchdog actuator, ledger/state/outbox stores, autoscaler writer) gets the fenced port, the
 * elector and the self-audit get the raw one.
 *
 * - A write (apply, patch, create, delete, patchScale) is refused with `FencedError` unless the
 *   lease says this identity leads and its last renewal is younger than the renew deadline (80 %
 *   of the lease): another replica can take the lease only after 100 %.
 * - The write's deadline is clamped to that renew deadline, so a write started by a leader cannot
 *   outlive its leadership on the client side.
 * - Reads, watches and logs pass; so do writes to the Lease itself and the authorization reviews
 *   (they are not state).
 */
import type {
  ApplyOptions,
  CreateBody,
  CreateOptions,
  DeleteOptions,
  KubeApi,
  PatchOptions,
  ScaleOptions,
} from '../kube/api.ts';
import { BerthError, ErrorCode } from '../errors.ts';
import type { ObjectRef } from '../model/object.ts';

/** What the fence asks the elector. `LeaseElector` is one. */
export interface LeaseHolder {
  readonly identity: string;
  /** Epoch ms (of the injected clock) until which this replica may act; 0 when it does not lead. */
  validUntil(): number;
}

export class FencedError extends BerthError {
  constructor(
    readonly identity: string,
    what: string,
  ) {
    super(
      ErrorCode.cluster,
      `${what} refused: ${identity} does not hold a fresh leader lease (fenced; the new leader acts)`,
    );
    this.name = 'FencedError';
  }
}

export interface FenceOptions {
  holder: LeaseHolder;
  /** The clock of the elector. */
  now: () => number;
  /** Told about each refused write (for metrics and logs). */
  onRefused?: (what: string) => void;
}

const unfencedKinds = new Set([
  'coordination.k8s.io/Lease',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
]);

function isUnfenced(ref: { apiVersion: string; kind: string }): boolean {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return unfencedKinds.has(`${group}/${ref.kind}`);
}

function describe(verb: string, ref: { kind: string; namespace?: string; name?: string }): string {
  const where = ref.namespace ? `${ref.namespace}/` : '';
  return `${verb} ${ref.kind} ${where}${ref.name ?? ''}`.trimEnd();
}

/** The fenced port: reads go straight to `api`, writes through the lease check. */
export function fenceKube(api: KubeApi, o: FenceOptions): KubeApi {
  const admit = <T extends { deadline?: number }>(
    verb: string,
    ref: { apiVersion: string; kind: string; namespace?: string; name?: string },
    options: T,
  ): T => {
    if (isUnfenced(ref)) return options;
    const until = o.holder.validUntil();
    const now = o.now();
    if (now >= until) {
      const what = describe(verb, ref);
      o.onRefused?.(what);
      throw new FencedError(o.holder.identity, what);
    }
    // The injected clock may not be the wall clock: carry the time left over to Date.now().
    const bound = Date.now() + (until - now);
    return { ...options, deadline: Math.min(options.deadline ?? bound, bound) };
  };
  const fenced: Partial<KubeApi> = {
    apply: async (obj, options: ApplyOptions) =>
      api.apply(
        obj,
        admit(
          'apply',
          {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            namespace: obj.metadata.namespace ?? '',
            name: obj.metadata.name,
          },
          options,
        ),
      ),
    patch: async (ref: ObjectRef, patch: unknown, options: PatchOptions) =>
      api.patch(ref, patch, admit('patch', ref, options)),
    create: async (body: CreateBody, options: CreateOptions) =>
      api.create(
        body,
        admit(
          'create',
          {
            apiVersion: body.apiVersion,
            kind: body.kind,
            namespace: body.metadata?.namespace ?? options.namespace ?? '',
            name: body.metadata?.name ?? '',
          },
          options,
        ),
      ),
    delete: async (ref: ObjectRef, options: DeleteOptions = {}) =>
      api.delete(ref, admit('delete', ref, options)),
    patchScale: async (ref: ObjectRef, replicas: number, options: ScaleOptions) =>
      api.patchScale(ref, replicas, admit('scale', ref, options)),
  };
  return new Proxy(api, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in fenced) return fenced[prop as keyof KubeApi];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}
