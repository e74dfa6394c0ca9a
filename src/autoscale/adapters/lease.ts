/**
 * Leadership on demand (ADR 0136, refining ADR 0088): the autoscaler takes the Lease only when it
 * has a scaling to write, keeps it while it keeps scaling (renewed every third of the lease, by a
 * patch that tests the resourceVersion of its own last write: no read), and hands it back after
 * `lingerMs` without a write. An idle autoscaler makes no Lease requests at all; two replicas
 * still never both write, since a write needs a Lease held and renewed less than 80 % of its
 * duration ago. The decisions are the release lock's (src/release/lock.ts).
 */
import type { KubeApi } from '../../kube/api.ts';
import { ConflictError, InvalidError, NotFoundError } from '../../kube/errors.ts';
import type { Clock, Elector } from '../../kube/leader.ts';
import { createLease, leaseRef, versionOf, writeLease } from '../../kube/lease-io.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { decideLock, leaseSpec, readLease } from '../../release/lock.ts';

/** An elector that can be asked, just before a write, to take or keep the lease. */
export interface ClaimingElector extends Elector {
  /** Whether this replica may write now; takes the lease when it is free or expired. */
  claim(): Promise<boolean>;
}

/** Pause before retrying a renewal the API server did not answer. */
const RETRY_MS = 1_000;

export interface OnDemandLeaseOptions {
  namespace: string;
  name: string;
  identity: string;
  clock: Clock;
  /** @default 15 */
  leaseSeconds?: number;
  /** How long the lease is kept after the last claim. @default 60_000 */
  lingerMs?: number;
  /** Bound of each API call. @default 5_000 */
  callTimeoutMs?: number;
  /** @default 'berth-leader-election' */
  fieldManager?: string;
  onChange?: (leader: boolean, why: string) => void;
}

export class OnDemandLease implements ClaimingElector {
  readonly identity: string;
  private readonly api: KubeApi;
  private readonly o: OnDemandLeaseOptions;
  private readonly ref: ObjectRef;
  private leader = false;
  private renewedAt = 0;
  private acquiredAt = 0;
  private transitions = 0;
  /** resourceVersion of our own last write of the Lease. */
  private version: string | undefined;
  private lastClaim = 0;
  /** A follower does not read the Lease again before this (someone else holds it). */
  private quietUntil = 0;
  private claiming: Promise<boolean> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private renewer: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(api: KubeApi, options: OnDemandLeaseOptions) {
    this.api = api;
    this.o = options;
    this.identity = options.identity;
    this.ref = leaseRef(options.namespace, options.name);
  }

  private get durationMs(): number {
    return (this.o.leaseSeconds ?? 15) * 1000;
  }

  /** Leader, and renewed recently enough that nobody else can hold the lease yet. */
  isLeader(): boolean {
    return this.leader && this.o.clock.now() < this.renewedAt + this.durationMs * 0.8;
  }

  /** Until when this replica may write (epoch ms of the injected clock); 0 when not leader. */
  validUntil(): number {
    return this.leader ? this.renewedAt + this.durationMs * 0.8 : 0;
  }

  /** Whether this replica may write now; one claim at a time (concurrent callers share it). */
  claim(): Promise<boolean> {
    if (this.abort.signal.aborted) return Promise.resolve(false);
    this.lastClaim = this.o.clock.now();
    this.claiming ??= this.serial(() => this.claimOnce()).finally(
      () => (this.claiming = undefined),
    );
    return this.claiming;
  }

  private async claimOnce(): Promise<boolean> {
    const now = this.o.clock.now();
    // Held and within its 80 % mark: the keep-alive renews it on schedule.
    if (this.isLeader()) return true;
    if (this.leader && (await this.renew())) return true;
    if (now < this.quietUntil) return false;
    await this.acquire();
    return this.isLeader();
  }

  /** Reads the Lease and takes it when free, expired or ours. */
  private async acquire(): Promise<void> {
    const now = this.o.clock.now();
    const bounds = this.bounds(now);
    try {
      const live = await this.api.get(this.ref, bounds);
      if (!live) {
        const created = await createLease(this.api, this.ref, this.spec(now, now, 0), {
          ...bounds,
          fieldManager: this.fieldManager,
        });
        this.won(created, now, now, 0, 'created the lease');
        return;
      }
      const state = readLease(live);
      const decision = decideLock(state, this.identity, now);
      if (decision.action === 'wait') {
        // Read again when it could have expired, and at least every third of a lease.
        this.quietUntil = Math.min(decision.expiresAt, now + this.durationMs / 3);
        this.lost(`${decision.holder} holds the lease`);
        return;
      }
      const transitions = (state.transitions ?? 0) + (decision.action === 'renew' ? 0 : 1);
      const written = await this.write(versionOf(live), this.spec(now, now, transitions), bounds);
      this.won(written, now, now, transitions, `took the lease (${decision.action})`);
    } catch (error) {
      if (error instanceof ConflictError || error instanceof InvalidError) {
        this.quietUntil = now + this.durationMs / 3;
        this.lost('another replica wrote the lease first');
      } else this.lost(`cannot reach the lease: ${(error as Error).message}`);
    }
  }

  /** Renews without reading, by testing the version of our own last write. */
  private async renew(): Promise<boolean> {
    const now = this.o.clock.now();
    try {
      const written = await this.write(
        this.version,
        this.spec(this.acquiredAt, now, this.transitions),
        this.bounds(now),
      );
      this.won(written, now, this.acquiredAt, this.transitions, 'renewed');
      return true;
    } catch (error) {
      // Someone else wrote the Lease, or it is gone: read it like any candidate. Otherwise (the
      // API server unreachable) stay leader until the 80 % mark and retry at the next claim.
      if (
        error instanceof InvalidError ||
        error instanceof ConflictError ||
        error instanceof NotFoundError
      )
        this.lost(`the lease changed under us: ${(error as Error).message}`);
      return false;
    }
  }

  /** While leader: renew every third of the lease until `lingerMs` pass without a claim. */
  private keepAlive(): void {
    const linger = this.o.lingerMs ?? 60_000;
    this.renewer ??= (async () => {
      while (this.leader && !this.abort.signal.aborted) {
        const wait = this.renewedAt + this.durationMs / 3 - this.o.clock.now();
        if (wait > 0) {
          await this.o.clock.sleep(wait, this.abort.signal);
          continue;
        }
        const renewed = await this.serial(async () => {
          if (!this.leader || this.abort.signal.aborted) return true;
          const now = this.o.clock.now();
          if (now - this.lastClaim >= linger) {
            await this.handBack(`no scaling for ${Math.round(linger / 1000)} s`);
            return true;
          }
          return now < this.renewedAt + this.durationMs / 3 || (await this.renew());
        });
        if (renewed) continue;
        // The API server did not answer: try again shortly (the 80 % mark still fences writes),
        // until the lease has expired and is no longer ours to renew.
        if (this.o.clock.now() >= this.renewedAt + this.durationMs)
          this.lost('the lease expired without a renewal');
        else await this.o.clock.sleep(RETRY_MS, this.abort.signal);
      }
    })().finally(() => (this.renewer = undefined));
  }

  /** Stops and, when leader, hands the lease back at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.renewer;
    await this.serial(() => this.handBack('stopping'));
  }

  /** Runs lease operations one at a time (a renewal never races a claim's own renewal). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async handBack(why: string): Promise<void> {
    if (!this.leader) return;
    const now = this.o.clock.now();
    await this.write(
      this.version,
      { ...this.spec(this.acquiredAt, now, this.transitions), holderIdentity: '' },
      { deadline: now + (this.o.callTimeoutMs ?? 5_000) },
    ).catch(() => undefined);
    this.lost(`handed the lease back: ${why}`);
  }

  private get fieldManager(): string {
    return this.o.fieldManager ?? 'berth-leader-election';
  }

  private bounds(now: number) {
    return { deadline: now + (this.o.callTimeoutMs ?? 5_000), signal: this.abort.signal };
  }

  private spec(acquiredAt: number, now: number, transitions: number): Record<string, unknown> {
    return leaseSpec(this.identity, {
      acquiredAt,
      now,
      durationSeconds: this.o.leaseSeconds ?? 15,
      transitions,
    });
  }

  private write(
    version: string | undefined,
    spec: Record<string, unknown>,
    bounds: { deadline: number; signal?: AbortSignal },
  ): Promise<KubeObject> {
    return writeLease(this.api, this.ref, version, spec, {
      ...bounds,
      fieldManager: this.fieldManager,
    });
  }

  private won(
    written: KubeObject,
    now: number,
    acquiredAt: number,
    transitions: number,
    why: string,
  ): void {
    const was = this.leader;
    this.leader = true;
    this.version = versionOf(written);
    this.renewedAt = now;
    this.acquiredAt = acquiredAt;
    this.transitions = transitions;
    this.quietUntil = 0;
    if (!was) {
      this.o.onChange?.(true, why);
      this.keepAlive();
    }
  }

  private lost(why: string): void {
    const was = this.leader;
    this.leader = false;
    this.version = undefined;
    if (was) this.o.onChange?.(false, why);
  }
}
