/**
 * The release lock (pure decisions): one operation per release at a time, held as a
 * `coordination.k8s.io/v1` Lease with a holder, renewals and an expiry (ADR 0067). A holder
 * that dies (SIGKILL) stops renewing, and its lock expires by itself.
 */
import type { KubeObject } from '../model/object.ts';

/** The Lease fields the lock reads. */
export interface LeaseState {
  holder?: string;
  /** What the holder is doing (`apply`, `rollback`...), from an annotation. */
  operation?: string;
  acquireTime?: string;
  renewTime?: string;
  durationSeconds?: number;
  transitions?: number;
}

export type LockDecision =
  /** No lease, or an empty one: take it. */
  | { action: 'acquire' }
  /** Held by someone whose renewals stopped: take it over (counted as a transition). */
  | { action: 'take-over'; previousHolder: string; expiredAt: number }
  /** Ours already: renew. */
  | { action: 'renew' }
  /** Someone else's and alive: wait until `expiresAt` at the latest, or give up. */
  | { action: 'wait'; holder: string; operation: string; expiresAt: number };

/** @default 15 s lease; renewed every third of it, so a dead holder blocks others 15 s at most. */
export const defaultLeaseSeconds = 15;

/** The time the lease expires unless renewed (ms since the epoch); 0 when it has no holder. */
export function leaseExpiry(lease: LeaseState): number {
  const renewed = Date.parse(lease.renewTime ?? lease.acquireTime ?? '');
  if (!lease.holder || Number.isNaN(renewed)) return 0;
  return renewed + (lease.durationSeconds ?? defaultLeaseSeconds) * 1000;
}

/** What `me` should do about the lease at `now` (ms since the epoch). */
export function decideLock(lease: LeaseState | undefined, me: string, now: number): LockDecision {
  if (!lease?.holder) return { action: 'acquire' };
  if (lease.holder === me) return { action: 'renew' };
  const expiresAt = leaseExpiry(lease);
  if (expiresAt <= now)
    return { action: 'take-over', previousHolder: lease.holder, expiredAt: expiresAt };
  return {
    action: 'wait',
    holder: lease.holder,
    operation: lease.operation ?? 'an operation',
    expiresAt,
  };
}

export const lockOperationAnnotation = 'berth.dev/operation';

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The Lease spec for `me` holding the lock from `acquiredAt`, renewed at `now`. */
export function leaseSpec(
  me: string,
  o: { acquiredAt: number; now: number; durationSeconds: number; transitions: number },
): Record<string, unknown> {
  return {
    holderIdentity: me,
    leaseDurationSeconds: o.durationSeconds,
    acquireTime: microTime(o.acquiredAt),
    renewTime: microTime(o.now),
    leaseTransitions: o.transitions,
  };
}

/** Reads the lock fields of a live Lease. */
export function readLease(obj: KubeObject): LeaseState {
  const spec = (obj.spec ?? {}) as {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
  const state: LeaseState = {};
  if (spec.holderIdentity) state.holder = spec.holderIdentity;
  const op = obj.metadata.annotations?.[lockOperationAnnotation];
  if (op) state.operation = op;
  if (spec.acquireTime) state.acquireTime = spec.acquireTime;
  if (spec.renewTime) state.renewTime = spec.renewTime;
  if (spec.leaseDurationSeconds !== undefined) state.durationSeconds = spec.leaseDurationSeconds;
  if (spec.leaseTransitions !== undefined) state.transitions = spec.leaseTransitions;
  return state;
}
