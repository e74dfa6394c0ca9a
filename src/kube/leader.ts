/**
 * Leader election through a coordination.k8s.io/v1 Lease (ADR 0088, shared by the autoscaler and
 * `berth serve`, ADR 0100): two replicas never both act. The holder renews every third of the lease; a writer proves it read the
 * latest Lease with a JSON-patch `test` of its resourceVersion, so two candidates that saw the
 * same expired Lease cannot both take it. A leader that cannot renew stops acting before its
 * lease could expire. The decisions are the release lock's (src/release/lock.ts).
 */
import type { KubeObject, ObjectRef } from '../model/object.ts';
import { decideLock, leaseSpec, readLease } from '../release/lock.ts';
import type { KubeApi } from './api.ts';
import { ConflictError, InvalidError } from './errors.ts';
import { createLease, leaseRef, versionOf, writeLease } from './lease-io.ts';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What the controller asks: may I act now? */
export interface Elector {
  readonly identity: string;
  isLeader(): boolean;
}

export interface LeaseElectorOptions {
  namespace: string;
  name: string;
  /** This replica's identity (pod name, or host + pid). */
  identity: string;
  /** @default 15 */
  leaseSeconds?: number;
  clock: Clock;
  /** Bound of each API call. @default 5_000 */
  callTimeoutMs?: number;
  /** Field manager of the Lease writes. @default 'berth-leader-election' */
  fieldManager?: string;
  /** Called when leadership changes. */
  onChange?: (leader: boolean, why: string) => void;
}

export class LeaseElector implements Elector {
  readonly identity: string;
  private readonly api: KubeApi;
  private readonly o: LeaseElectorOptions;
  private readonly ref: ObjectRef;
  private leader = false;
  private renewedAt = 0;
  private acquiredAt = 0;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(api: KubeApi, options: LeaseElectorOptions) {
    this.api = api;
    this.o = options;
    this.identity = options.identity;
    this.ref = leaseRef(options.namespace, options.name);
  }

  private get fieldManager(): string {
    return this.o.fieldManager ?? 'berth-leader-election';
  }

  private get durationMs(): number {
    return (this.o.leaseSeconds ?? 15) * 1000;
  }

  /** Leader, and the last renewal is recent enough that nobody else can hold the lease yet. */
  isLeader(): boolean {
    return this.leader && this.o.clock.now() < this.renewedAt + this.durationMs * 0.8;
  }

  /**
   * Until when this replica may act (epoch ms of the injected clock): 80 % of the lease after
   * the last renewal, 0 when not leader. A fence clamps write deadlines to it (src/service/fence.ts).
   */
  validUntil(): number {
    return this.leader ? this.renewedAt + this.durationMs * 0.8 : 0;
  }

  /** One election round: reads the Lease and acquires, renews or waits. Returns isLeader(). */
  async tick(): Promise<boolean> {
    const now = this.o.clock.now();
    const bounds = { deadline: now + (this.o.callTimeoutMs ?? 5_000), signal: this.abort.signal };
    try {
      const live = await this.api.get(this.ref, bounds);
      if (!live) {
        await createLease(this.api, this.ref, this.spec(now, now, 0), {
          ...bounds,
          fieldManager: this.fieldManager,
        });
        this.won(now, now, 'created the lease');
        return this.isLeader();
      }
      const state = readLease(live);
      const decision = decideLock(state, this.identity, now);
      if (decision.action === 'wait') {
        this.lost(`${decision.holder} holds the lease`);
        return false;
      }
      const renew = decision.action === 'renew';
      const acquiredAt = renew && this.acquiredAt > 0 ? this.acquiredAt : now;
      const transitions = (state.transitions ?? 0) + (renew ? 0 : 1);
      await this.write(live, this.spec(acquiredAt, now, transitions), bounds);
      this.won(now, acquiredAt, renew ? 'renewed' : `took the lease (${decision.action})`);
    } catch (error) {
      // Conflict/AlreadyExists: created first by another; Invalid: our `test` of the version failed.
      if (error instanceof ConflictError || error instanceof InvalidError)
        this.lost('another replica wrote the lease first');
      else if (!this.isLeader()) this.lost(`cannot reach the lease: ${(error as Error).message}`);
    }
    return this.isLeader();
  }

  /** Elects until stopped, one round every third of the lease. */
  start(): void {
    this.running ??= (async () => {
      while (!this.abort.signal.aborted) {
        await this.tick();
        await this.o.clock.sleep(this.durationMs / 3, this.abort.signal);
      }
    })();
  }

  /** Stops electing and, when leader, hands the lease back at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    if (!this.leader) return;
    this.leader = false;
    const now = this.o.clock.now();
    const bounds = { deadline: now + (this.o.callTimeoutMs ?? 5_000) };
    const live = await this.api.get(this.ref, bounds).catch(() => undefined);
    if (live && readLease(live).holder === this.identity)
      await this.write(
        live,
        {
          ...this.spec(this.acquiredAt, now, readLease(live).transitions ?? 0),
          holderIdentity: '',
        },
        bounds,
      ).catch(() => undefined);
  }

  private spec(acquiredAt: number, now: number, transitions: number): Record<string, unknown> {
    return leaseSpec(this.identity, {
      acquiredAt,
      now,
      durationSeconds: this.o.leaseSeconds ?? 15,
      transitions,
    });
  }

  private async write(
    live: KubeObject,
    spec: Record<string, unknown>,
    bounds: { deadline: number; signal?: AbortSignal },
  ) {
    await writeLease(this.api, this.ref, versionOf(live), spec, {
      ...bounds,
      fieldManager: this.fieldManager,
    });
  }

  private won(now: number, acquiredAt: number, why: string): void {
    const was = this.leader;
    this.leader = true;
    this.renewedAt = now;
    this.acquiredAt = acquiredAt;
    if (!was) this.o.onChange?.(true, why);
  }

  private lost(why: string): void {
    const was = this.leader;
    this.leader = false;
    if (was) this.o.onChange?.(false, why);
  }
}
