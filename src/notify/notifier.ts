/**
 * The notifier: the one entry point for sending notifications, shared by the watchdog and the
 * workflows' `notify` task. `notify` masks secrets, then persists the message in the outbox
 * before anything is sent; delivery runs in the background (`start`) or on demand (`drain`),
 * one ordered queue per target, retried until the endpoint takes it.
 *
 * ```ts
 * const notifier = await Notifier.open({ targets: [parseTarget('slack=https://…', env)], store });
 * await notifier.notify(message);
 * const { pending } = await notifier.drain({ timeoutMs: 30_000 });
 * ```
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { maskNotification } from './mask.ts';
import {
  defaultRetryPolicy,
  dueHeads,
  emptyOutbox,
  enqueue,
  heads,
  nextDueAt,
  settle,
  type DeadEntry,
  type OutboxState,
  type RetryPolicy,
} from './outbox/state.ts';
import { MemoryOutboxStore, type OutboxStore } from './outbox/store.ts';
import { describeTarget, targetId, type Target } from './targets.ts';
import { send, type Attempt, type FetchLike } from './transport.ts';
import type { Notification } from './types.ts';

export interface NotifierEvent {
  type: 'delivered' | 'retry' | 'rejected';
  target: string;
  id: string;
  attempts: number;
  error?: string;
  /** For `retry`: when the next attempt is due (ms since the epoch). */
  nextAttemptAt?: number;
}

export interface NotifierOptions {
  targets: readonly Target[];
  /** @default an in-memory store (lost on exit; use FileOutboxStore to survive restarts) */
  store?: OutboxStore;
  /** Masks secrets in every text of a message before it is stored or sent. @default maskSecrets */
  mask?: (text: string) => string;
  /** @default defaultRetryPolicy (1 s doubling to 60 s) */
  retry?: Partial<RetryPolicy>;
  /** Deadline of one HTTP attempt. @default 10000 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** @default Date.now */
  now?: () => number;
  /** Told about each attempt (for logs and metrics); must not throw. */
  onEvent?: (event: NotifierEvent) => void;
}

export interface DrainResult {
  /** Entries still queued when the deadline came (0 when all were delivered or rejected). */
  pending: number;
  delivered: number;
  dead: readonly DeadEntry[];
}

export interface NotifierStatus {
  pending: number;
  delivered: number;
  dead: number;
  /** Per target: queued entries and the head's last error. */
  targets: { id: string; label: string; pending: number; lastError?: string }[];
  /** Queued entries whose target is no longer configured (kept, not sent). */
  orphaned: number;
}

export class Notifier {
  private state: OutboxState;
  private readonly targets = new Map<string, Target>();
  private readonly policy: RetryPolicy;
  private readonly now: () => number;
  private lock: Promise<unknown> = Promise.resolve();
  private pass: Promise<void> | undefined;
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly opts: NotifierOptions,
    private readonly store: OutboxStore,
    state: OutboxState,
  ) {
    this.state = state;
    for (const t of opts.targets) this.targets.set(targetId(t), t);
    this.policy = { ...defaultRetryPolicy, ...opts.retry };
    this.now = opts.now ?? Date.now;
  }

  /** Loads the outbox (what an earlier run left undelivered is delivered first). */
  static async open(opts: NotifierOptions): Promise<Notifier> {
    const store = opts.store ?? new MemoryOutboxStore();
    const state = (await store.load()) ?? emptyOutbox();
    return new Notifier(opts, store, state);
  }

  /** Queues `n` for every target (masked, persisted); returns how many entries were added. */
  async notify(n: Notification): Promise<number> {
    const masked = maskNotification(n, this.opts.mask);
    const added = await this.update((s) => {
      const r = enqueue(s, masked, [...this.targets.keys()], this.now(), this.policy);
      return [r.state, r.added];
    });
    this.wake?.();
    return added;
  }

  /** One delivery pass: every due head, then the next of its queue while due. */
  deliverDue(): Promise<void> {
    this.pass ??= this.runPass().finally(() => (this.pass = undefined));
    return this.pass;
  }

  /** Delivers until the outbox is empty or `timeoutMs` passed. */
  async drain(opts: { timeoutMs: number }): Promise<DrainResult> {
    const deadline = this.now() + opts.timeoutMs;
    for (;;) {
      await this.deliverDue();
      const due = this.deliverable();
      if (due === undefined || this.now() >= deadline) break;
      const wait = Math.min(Math.max(0, due - this.now()), deadline - this.now());
      if (wait > 0) await sleep(wait);
    }
    return {
      pending: this.pendingForKnownTargets(),
      delivered: this.state.delivered,
      dead: this.state.dead,
    };
  }

  /** Delivers in the background until `stop`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.background();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.pass;
    await this.lock;
  }

  status(): NotifierStatus {
    const byTarget = new Map<string, number>();
    for (const e of this.state.pending) byTarget.set(e.target, (byTarget.get(e.target) ?? 0) + 1);
    const headOf = new Map(heads(this.state).map((e) => [e.target, e]));
    return {
      pending: this.state.pending.length,
      delivered: this.state.delivered,
      dead: this.state.dead.length,
      targets: [...this.targets].map(([id, t]) => {
        const entry = { id, label: describeTarget(t), pending: byTarget.get(id) ?? 0 };
        const lastError = headOf.get(id)?.lastError;
        return lastError ? { ...entry, lastError } : entry;
      }),
      orphaned: this.state.pending.filter((e) => !this.targets.has(e.target)).length,
    };
  }

  private async background(): Promise<void> {
    while (this.running) {
      await this.deliverDue();
      const due = this.deliverable();
      const wait = due === undefined ? 60_000 : Math.max(0, due - this.now());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(wait, 60_000));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async runPass(): Promise<void> {
    const due = dueHeads(this.state, this.now()).filter((e) => this.targets.has(e.target));
    await Promise.all(due.map((head) => this.drainTarget(head.target)));
  }

  /** Sends the head of one target's queue while it is due and delivered. */
  private async drainTarget(id: string): Promise<void> {
    const target = this.targets.get(id);
    if (!target) return;
    for (;;) {
      const head = dueHeads(this.state, this.now()).find((e) => e.target === id);
      if (!head) return;
      const attempt = await this.attempt(target, head.notification);
      await this.update((s) => [settle(s, head.seq, attempt, this.now(), this.policy), undefined]);
      const after = this.state.pending.find((e) => e.seq === head.seq);
      this.report(id, head.notification.id, attempt, head.attempts + 1, after?.nextAttemptAt);
      if (attempt.outcome === 'retry') return;
    }
  }

  private attempt(target: Target, n: Notification): Promise<Attempt> {
    const options = this.opts.fetch
      ? { fetch: this.opts.fetch, timeoutMs: this.opts.timeoutMs ?? 10_000 }
      : { timeoutMs: this.opts.timeoutMs ?? 10_000 };
    return send(target, n, options);
  }

  private report(
    target: string,
    id: string,
    a: Attempt,
    attempts: number,
    nextAttemptAt?: number,
  ): void {
    if (!this.opts.onEvent) return;
    const event: NotifierEvent = { type: a.outcome, target, id, attempts };
    if (a.outcome !== 'delivered') event.error = a.error;
    if (nextAttemptAt !== undefined) event.nextAttemptAt = nextAttemptAt;
    this.opts.onEvent(event);
  }

  /** The earliest due time among heads of configured targets. */
  private deliverable(): number | undefined {
    const known: OutboxState = {
      ...this.state,
      pending: this.state.pending.filter((e) => this.targets.has(e.target)),
    };
    return nextDueAt(known);
  }

  private pendingForKnownTargets(): number {
    return this.state.pending.filter((e) => this.targets.has(e.target)).length;
  }

  /** Applies a transition and persists it, one at a time. */
  private update<T>(change: (s: OutboxState) => [OutboxState, T]): Promise<T> {
    const next = this.lock.then(async () => {
      const [state, result] = change(this.state);
      if (state !== this.state) {
        await this.store.save(state);
        this.state = state;
      }
      return result;
    });
    this.lock = next.catch(() => undefined);
    return next;
  }
}
