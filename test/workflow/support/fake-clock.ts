/**
 * A clock for tests: time stands still while anything can still run, then jumps to the next timer.
 * Retries, back-off and timeouts of hours run in milliseconds, in a deterministic order.
 */
import type { Clock } from '../../../src/workflow/clock.ts';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;
  /** Every sleep requested, in ms (tests assert back-off with it). */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 11, 2, 11, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          resolve();
        },
        { once: true },
      );
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after pending promise callbacks: everything that can run has run.
    setImmediate(() => {
      this.scheduled = false;
      this.fireNext();
    });
  }

  private fireNext(): void {
    if (this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift();
    if (!next) return;
    this.t = Math.max(this.t, next.at);
    next.resolve();
    this.schedule();
  }
}
