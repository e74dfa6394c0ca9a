/**
 * The long-running loop of `berth watchdog run`: informers feed passes (debounced), metrics are
 * polled at an interval, croner runs the scheduled detectors and the daily report. Every wait has
 * a deadline or an abort signal; stop() ends the watches and timers and lets remediations finish.
 */
import { Cron } from 'croner';
import type { KubeApi } from '../../kube/api.ts';
import type { ClusterState, Detector, VolumeUsage } from '../model.ts';
import { toCronerSchedule } from '../schedule.ts';
import type { WatchdogEngine } from './engine.ts';
import { LogTails, type LogReader } from './logs.ts';
import { MetricsPoller } from './metrics.ts';
import { readVolumeUsage, type VolumeUsageSource } from './volume-usage.ts';
import { ClusterWatcher } from './watcher.ts';

export interface RunnerOptions {
  kube: KubeApi;
  /** The engine, or anything that runs its passes (`berth serve` gates them on leadership). */
  engine: Pick<WatchdogEngine, 'pass' | 'settle'>;
  detectors: readonly Detector[];
  /** Detector id → schedule (defaults from each detector). */
  schedules: Readonly<Record<string, string>>;
  metricsIntervalMs: number;
  /** Window of node samples kept (the sustained rule's window plus one interval). */
  metricsWindowMs: number;
  /** Coalesce bursts of watch events into one pass. @default 300 */
  debounceMs?: number;
  logs?: LogReader;
  /** PVC / node disk usage source (Watchdog `metrics.prometheus`). @default not measured */
  volumes?: VolumeUsageSource;
  log?: (line: string) => void;
  now?: () => number;
}

export class WatchdogRunner {
  private watcher: ClusterWatcher | undefined;
  private metrics: MetricsPoller;
  private tails: LogTails | undefined;
  private timer: NodeJS.Timeout | undefined;
  private metricsTimer: NodeJS.Timeout | undefined;
  private readonly crons = new Map<string, Cron>();
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  passes = 0;

  constructor(private readonly o: RunnerOptions) {
    this.metrics = new MetricsPoller(o.kube, o.metricsWindowMs, o.now);
    if (o.logs) this.tails = new LogTails(o.logs);
  }

  async start(): Promise<void> {
    const kinds = [
      ...new Set(this.o.detectors.flatMap((d) => d.reads).filter((k) => k !== 'metrics')),
    ];
    this.watcher = new ClusterWatcher(this.o.kube, kinds, {
      onChange: () => this.schedulePass(),
      ...(this.o.log ? { log: this.o.log } : {}),
    });
    await this.watcher.start();
    for (const [kind, why] of this.watcher.unavailable)
      this.o.log?.(`not watching ${kind}: ${why}`);
    await this.pollMetrics();
    this.metricsTimer = setInterval(
      () => void this.pollMetrics().then(() => this.schedulePass()),
      this.o.metricsIntervalMs,
    );
    for (const d of this.o.detectors) {
      const schedule = this.o.schedules[d.id] ?? d.schedule;
      if (!schedule || d.trigger !== 'schedule') continue;
      const s = toCronerSchedule(schedule);
      const opts = s.intervalSeconds
        ? { interval: s.intervalSeconds, protect: true }
        : { protect: true };
      this.crons.set(d.id, new Cron(s.pattern, opts, () => void this.enqueue(d.always === true)));
    }
    await this.enqueue(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.metricsTimer);
    for (const c of this.crons.values()) c.stop();
    await this.watcher?.stop();
    await this.running;
    await this.o.engine.settle();
  }

  /**
   * When each scheduled detector last fired in this process (croner), by detector id: the
   * dashboard's "last run". Every replica runs the same schedules, so the times agree.
   */
  lastRuns(): Record<string, { at: number }> {
    const runs: Record<string, { at: number }> = {};
    for (const [id, cron] of this.crons) {
      const at = cron.previousRun()?.getTime();
      if (at !== undefined) runs[id] = { at };
    }
    return runs;
  }

  /** The state detectors see now. */
  async snapshot(): Promise<ClusterState> {
    const objects = this.watcher?.objects() ?? {};
    const state: ClusterState = {
      now: (this.o.now ?? Date.now)(),
      objects,
      nodeUsage: this.metrics.nodeUsage,
      podUsage: this.metrics.pods,
    };
    if (this.volumes) state.volumeUsage = this.volumes;
    if (this.tails) state.logTails = await this.tails.tailsFor(objects);
    return state;
  }

  /** Runs a pass now (with the reports when `reports`), after any pass under way. */
  enqueue(reports: boolean): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        await this.o.engine.pass(await this.snapshot(), { reports });
        this.passes++;
      } catch (error) {
        this.o.log?.(`pass failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.running;
  }

  private schedulePass(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueue(false);
    }, this.o.debounceMs ?? 300);
  }

  private volumes: VolumeUsage[] | undefined;

  private async pollMetrics(): Promise<void> {
    if (this.o.volumes)
      this.volumes = await readVolumeUsage(this.o.volumes, AbortSignal.timeout(10_000)).catch(
        (error: unknown) => {
          this.o.log?.(
            `volume usage poll failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          return undefined;
        },
      );
    try {
      const ok = await this.metrics.poll();
      if (!ok && this.metrics.available === false && this.passes === 0)
        this.o.log?.('metrics.k8s.io is not served: node usage and top pods are unavailable');
    } catch (error) {
      this.o.log?.(
        `metrics poll failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
