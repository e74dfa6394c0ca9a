/**
 * The release lock on the cluster: a `coordination.k8s.io/v1` Lease in the release namespace,
 * taken with create / update-at-resourceVersion (so two takers never both win), renewed in the
 * background, deleted on release. A holder killed with SIGKILL stops renewing and the lease
 * expires by itself (ADR 0067).
 */
import { hostname, userInfo } from 'node:os';
import { randomBytes } from 'node:crypto';
import { BerthError, ErrorCode } from '../../errors.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { releaseObjectNames, type ReleaseRef } from '../identity.ts';
import {
  decideLock,
  defaultLeaseSeconds,
  leaseSpec,
  lockOperationAnnotation,
  readLease,
} from '../lock.ts';
import type { CallOptions, KubeApi } from '../../kube/api.ts';
import { ConflictError } from '../../kube/errors.ts';
import { manager } from './port.ts';

/** Another operation holds the release: names it and says what to do. */
export class ReleaseLockedError extends BerthError {
  readonly holder: string;
  constructor(release: ReleaseRef, holder: string, operation: string, expiresAt: number) {
    super(
      ErrorCode.cluster,
      `release ${release.name} is locked by ${holder} (${operation}); its lock expires at ${new Date(expiresAt).toISOString()} unless renewed. ` +
        `Wait for it, raise --timeout, or if that process is gone for good: berth rollback ${release.name} --force-unlock`,
    );
    this.name = 'ReleaseLockedError';
    this.holder = holder;
  }
}

export interface LockClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: LockClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface LockOptions {
  /** What the holder does, shown to whoever waits: `apply`, `rollback`... */
  operation: string;
  /** Give up waiting for another holder at this time (ms since the epoch). */
  deadline: number;
  /** @default 15 */
  leaseSeconds?: number;
  /** @default user@host pid N + a random suffix */
  identity?: string;
  /** @default the system clock */
  clock?: LockClock;
  /** Told once when the lock is held by someone else and berth starts waiting. */
  onWait?: (holder: string, operation: string) => void;
  /** Told when an expired lock of a dead holder is taken over. */
  onTakeOver?: (previousHolder: string) => void;
}

export interface HeldLock {
  holder: string;
  /** Stops renewing and deletes the lease (only if still ours). */
  release(): Promise<void>;
  /** Set when a renewal found the lease taken by someone else. */
  lost(): boolean;
}

/** `user@host`: who recorded a revision or holds a lock. */
export function whoAmI(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the uid names the user instead.
    user = `uid-${process.getuid?.() ?? '?'}`;
  }
  return `${user}@${hostname()}`;
}

export function defaultIdentity(): string {
  return `${whoAmI()} pid ${process.pid} ${randomBytes(3).toString('hex')}`;
}

export function leaseRef(release: ReleaseRef): ObjectRef {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: release.namespace,
    name: releaseObjectNames(release).lease,
  };
}

/** Takes the release lock, waiting up to `deadline` for another holder to finish or expire. */
export async function acquireLock(
  api: KubeApi,
  release: ReleaseRef,
  options: LockOptions,
): Promise<HeldLock> {
  const clock = options.clock ?? systemClock;
  const me = options.identity ?? defaultIdentity();
  const seconds = options.leaseSeconds ?? defaultLeaseSeconds;
  const ref = leaseRef(release);
  const bounds: CallOptions = { deadline: options.deadline };
  let told = false;
  for (;;) {
    const live = await api.get(ref, bounds);
    const now = clock.now();
    const decision = decideLock(live && readLease(live), me, now);
    if (decision.action === 'wait') {
      if (now >= options.deadline)
        throw new ReleaseLockedError(
          release,
          decision.holder,
          decision.operation,
          decision.expiresAt,
        );
      if (!told) options.onWait?.(decision.holder, decision.operation);
      told = true;
      await clock.sleep(
        Math.max(50, Math.min(1000, decision.expiresAt - now, options.deadline - now)),
      );
      continue;
    }
    const transitions = (live && readLease(live).transitions) ?? 0;
    const body = leaseObject(ref, me, options.operation, {
      acquiredAt: now,
      now,
      durationSeconds: seconds,
      transitions: decision.action === 'take-over' ? transitions + 1 : transitions,
    });
    try {
      const held = live
        ? await replaceAt(api, ref, body, live.metadata.resourceVersion, bounds)
        : await api.create(body, { ...bounds, fieldManager: manager });
      if (decision.action === 'take-over') options.onTakeOver?.(decision.previousHolder);
      return keepRenewing(api, ref, held, { me, seconds, clock, operation: options.operation });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Someone else took or changed it between our read and our write: decide again.
    }
  }
}

/**
 * Writes `body` over the live lease only if it is still at `resourceVersion` (a merge patch that
 * carries the resourceVersion: the server refuses it with 409 Conflict when the lease moved on).
 */
async function replaceAt(
  api: KubeApi,
  ref: ObjectRef,
  body: KubeObject,
  resourceVersion: unknown,
  bounds: CallOptions,
): Promise<KubeObject> {
  const patch = { ...body, metadata: { ...body.metadata, resourceVersion } };
  return api.patch(ref, patch, { ...bounds, fieldManager: manager, type: 'merge' });
}

function leaseObject(
  ref: ObjectRef,
  me: string,
  operation: string,
  times: Parameters<typeof leaseSpec>[1],
): KubeObject {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: {
      name: ref.name,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'berth' },
      annotations: { [lockOperationAnnotation]: operation },
    },
    spec: leaseSpec(me, times),
  };
}

function keepRenewing(
  api: KubeApi,
  ref: ObjectRef,
  first: KubeObject,
  o: { me: string; seconds: number; clock: LockClock; operation: string },
): HeldLock {
  let current = first;
  let lost = false;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const acquiredAt = Date.parse(readLease(first).acquireTime ?? '') || o.clock.now();
  const renew = async (): Promise<void> => {
    const body = leaseObject(ref, o.me, o.operation, {
      acquiredAt,
      now: o.clock.now(),
      durationSeconds: o.seconds,
      transitions: readLease(current).transitions ?? 0,
    });
    try {
      const deadline = o.clock.now() + (o.seconds * 1000) / 3;
      current = await replaceAt(api, ref, body, current.metadata.resourceVersion, { deadline });
    } catch (error) {
      if (error instanceof ConflictError) lost = true;
      // Other errors (a slow server): the next tick tries again; the lease is valid until expiry.
    }
  };
  const timer = setInterval(
    () => {
      if (!stopped && !lost) inFlight = renew();
    },
    (o.seconds * 1000) / 3,
  );
  timer.unref();
  return {
    holder: o.me,
    lost: () => lost,
    async release() {
      stopped = true;
      clearInterval(timer);
      if (lost) return;
      await inFlight;
      if (lost) return;
      try {
        await api.delete(ref, {
          preconditions: { resourceVersion: String(current.metadata.resourceVersion) },
        });
      } catch (error) {
        // Changed in between: delete the newer one only if it is still ours.
        if (!(error instanceof ConflictError)) throw error;
        const live = await api.get(ref);
        if (live && readLease(live).holder === o.me)
          await api.delete(ref, {
            preconditions: { resourceVersion: String(live.metadata.resourceVersion) },
          });
      }
    },
  };
}

/** Deletes the lock whoever holds it (`--force-unlock`); returns the holder it removed. */
export async function forceUnlock(api: KubeApi, release: ReleaseRef): Promise<string | undefined> {
  const ref = leaseRef(release);
  const live = await api.get(ref);
  if (!live) return undefined;
  await api.delete(ref);
  return readLease(live).holder ?? '(nobody)';
}
