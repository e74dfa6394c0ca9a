/**
 * The autoscaler loop (ADR 0085): informers keep each pool's Deployment and pods in memory; every
 * `pollSeconds` a pool's depth is read, `decideScale` decides, and the leader writes. Followers
 * decide too (so `explain` works on any replica) but never write. Clock and sleep are injected.
 */
import { setMaxListeners } from 'node:events';
import type { KubeApi } from '../../kube/api.ts';
import { Informer } from '../../kube/informer.ts';
import type { KubeObject } from '../../model/object.ts';
import { matchesLabels, selectorOfWorkload } from '../../model/selector.ts';
import { describeSource, type Depth, type ReadOptions, type Source } from '../../sources/index.ts';
import { applyScale } from './act.ts';
import { decideScale } from '../decide.ts';
import { emptyState, withEvent, withSample } from '../history.ts';
import { countIdle, podViews } from '../idle.ts';
import { pollIntervalMs } from '../poll.ts';
import { slimDeployment, slimPod } from '../slim.ts';
import type { Clock, Elector } from '../../kube/leader.ts';
import type { AutoscaleMetrics } from './metrics.ts';
import type { Decision, PoolState, ScaleEvent, ScalePolicy } from '../types.ts';

export interface PoolTarget {
  name: string;
  namespace: string;
  policy: ScalePolicy;
  source: Source;
  /** Period of the reads at rest. */
  pollMs: number;
  /** Period while the pool is above its minimum or has work queued (ADR 0156). @default pollMs */
  activePollMs?: number;
}

export interface ControllerOptions {
  api: KubeApi;
  pools: readonly PoolTarget[];
  reader: { readDepth(source: Source, options?: ReadOptions): Promise<Depth> };
  /** Asked before each write; one with `claim` takes the Lease only then (ADR 0136). */
  elector: Elector & { claim?: () => Promise<boolean> };
  clock: Clock;
  /** One line per scaling, per change of hold reason, per error. */
  log: (line: string) => void;
  metrics?: AutoscaleMetrics;
  /** Bound of each API write. @default 5_000 */
  callTimeoutMs?: number;
  /** Told after each scaling this controller wrote (`berth serve` keeps them in the cluster). */
  onScaled?: (pool: string, event: ScaleEvent, record: DecisionRecord) => void;
}

export interface DecisionRecord extends Decision {
  at: number;
  /** False when a follower decided (it never writes). */
  acted: boolean;
  victims?: string[];
  error?: string;
}

interface PoolRun {
  target: PoolTarget;
  state: PoolState;
  /** Our last write, until the informer shows it. */
  written?: { replicas: number; at: number };
  decisions: DecisionRecord[];
  lastCode?: string;
  lastReplicas?: number;
}

const KEEP_DECISIONS = 20;

export class AutoscaleController {
  private readonly o: ControllerOptions;
  private readonly runs = new Map<string, PoolRun>();
  private readonly deployments = new Map<string, Informer>();
  private readonly pods = new Map<string, Informer>();
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(options: ControllerOptions) {
    this.o = options;
    // Each pool's loop waits on this signal (its sleep and its read): 12 pools are not a leak.
    setMaxListeners(10 + 4 * options.pools.length, this.abort.signal);
    for (const t of options.pools)
      this.runs.set(t.name, { target: t, state: emptyState(0), decisions: [] });
  }

  /**
   * Starts one Deployment and one Pod informer per namespace, then (unless `poll: false`, for
   * tests that call `tick`) one poll loop per pool.
   */
  async start(options: { poll?: boolean } = {}): Promise<void> {
    const namespaces = [...new Set(this.o.pools.map((p) => p.namespace))].sort();
    // The caches keep only what the controller reads (ADR 0155): replicas and selector of a
    // Deployment; labels, busy and deletion-cost annotations, times and readiness of a pod.
    const clock = this.o.clock;
    for (const namespace of namespaces) {
      const d = new Informer(
        this.o.api,
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace },
        { clock, transform: slimDeployment },
      );
      const p = new Informer(
        this.o.api,
        { apiVersion: 'v1', kind: 'Pod', namespace },
        { clock, transform: slimPod },
      );
      for (const inf of [d, p])
        inf.on('error', (e) =>
          this.o.log(
            `autoscaler: watch ${inf.collection.kind} ${namespace}: ${(e as Error).message}`,
          ),
        );
      this.deployments.set(namespace, d);
      this.pods.set(namespace, p);
    }
    await Promise.all([...this.deployments.values(), ...this.pods.values()].map((i) => i.start()));
    if (options.poll ?? true) this.loops = [...this.runs.values()].map((run) => this.loop(run));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    await Promise.all([...this.deployments.values(), ...this.pods.values()].map((i) => i.stop()));
  }

  private async loop(run: PoolRun): Promise<void> {
    while (!this.abort.signal.aborted) {
      const start = this.o.clock.now();
      await this.tick(run.target.name);
      // At rest every pollMs, active (above min, or work queued) every activePollMs (ADR 0156).
      const next = start + pollIntervalMs(run.state, run.target.policy, run.target);
      // Rounds start at least that far apart (a timer may fire a millisecond early).
      for (let left = next - this.o.clock.now(); left > 0 && !this.abort.signal.aborted;) {
        await this.o.clock.sleep(left, this.abort.signal);
        left = next - this.o.clock.now();
      }
    }
  }

  /** One round for one pool: read, decide, and (leader only) write. Never throws. */
  async tick(pool: string): Promise<DecisionRecord | undefined> {
    const run = this.runs.get(pool);
    if (!run) return undefined;
    const { target } = run;
    const m = this.o.metrics;
    const deployment = this.deployments.get(target.namespace)?.get(target.name, target.namespace);
    // The round is stamped when the read is issued, not when it returns: the poll loop starts
    // rounds at least `pollMs` apart, so a window of one poll period is met after one period,
    // however long each read took (ADR 0085: stamping on return cost a whole extra poll whenever
    // the first read below the threshold was slower than the next one).
    const now = this.o.clock.now();
    const depth = await this.o.reader.readDepth(target.source, {
      signal: this.abort.signal,
      timeoutMs: Math.min(target.pollMs, 5_000),
    });
    if ('unknown' in depth) {
      m?.sourceErrors.inc({ pool, source: target.source.kind });
      m?.depthKnown.set({ pool }, 0);
      m?.depth.remove({ pool });
    } else {
      m?.depthKnown.set({ pool }, 1);
      m?.depth.set({ pool }, depth.value);
    }
    const sample =
      'value' in depth ? { at: now, depth: depth.value } : { at: now, reason: depth.reason };
    run.state = { ...run.state, samples: withSample(run.state.samples, sample, target.policy) };
    if (!deployment) {
      return this.record(run, {
        replicas: 0,
        action: 'hold',
        code: 'no-deployment',
        reason: `${pool}: Deployment ${target.namespace}/${target.name} not found, nothing to scale`,
        at: now,
        acted: false,
      });
    }
    const replicas = this.replicasOf(run, deployment, now);
    const pods = this.podsOf(target.namespace, deployment);
    run.state = { ...run.state, replicas, pods: countIdle(podViews(pods)) };
    m?.actual.set({ pool }, replicas);
    const decision = decideScale(run.state, target.policy, now);
    m?.desired.set({ pool }, decision.replicas);
    m?.decisions.inc({ pool, reason: decision.code });
    const leader =
      decision.action !== 'hold' &&
      (this.o.elector.claim ? await this.o.elector.claim() : this.o.elector.isLeader());
    if (decision.action === 'hold' || !leader)
      return this.record(run, { ...decision, at: now, acted: false });
    try {
      const victims = await applyScale(this.o.api, {
        ref: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: target.namespace,
          name: target.name,
        },
        from: replicas,
        to: decision.replicas,
        pods,
        deadline: this.o.clock.now() + (this.o.callTimeoutMs ?? 5_000),
        signal: this.abort.signal,
      });
      run.written = { replicas: decision.replicas, at: now };
      run.state = {
        ...run.state,
        replicas: decision.replicas,
        events: withEvent(
          run.state.events,
          { at: now, from: replicas, to: decision.replicas },
          target.policy,
        ),
      };
      m?.scaleWrites.inc({ pool, direction: decision.action });
      const record = this.record(run, {
        ...decision,
        at: now,
        acted: true,
        ...(victims.length ? { victims } : {}),
      });
      this.o.onScaled?.(pool, { at: now, from: replicas, to: decision.replicas }, record);
      return record;
    } catch (error) {
      m?.writeErrors.inc({ pool });
      return this.record(run, {
        ...decision,
        at: now,
        acted: false,
        error: (error as Error).message,
      });
    }
  }

  /**
   * Scalings another replica made (a previous leader's, kept in the cluster), so cooldowns and
   * limits hold across a change of leader. Events already known are ignored.
   */
  restoreEvents(pool: string, events: readonly ScaleEvent[]): void {
    const run = this.runs.get(pool);
    if (!run) return;
    const known = new Set(run.state.events.map((e) => e.at));
    let merged = run.state.events;
    for (const e of [...events].sort((a, b) => a.at - b.at))
      if (!known.has(e.at)) merged = withEvent(merged, e, run.target.policy);
    run.state = { ...run.state, events: [...merged].sort((a, b) => a.at - b.at) };
  }

  /** spec.replicas from the informer, or our own write while the informer has not seen it. */
  private replicasOf(run: PoolRun, deployment: KubeObject, now: number): number {
    const spec = (deployment.spec ?? {}) as { replicas?: number };
    const seen = spec.replicas ?? 1;
    const w = run.written;
    if (w && seen !== w.replicas && now - w.at < 10_000) return w.replicas;
    run.written = undefined;
    return seen;
  }

  private podsOf(namespace: string, deployment: KubeObject): KubeObject[] {
    const selector = selectorOfWorkload(deployment);
    return (this.pods.get(namespace)?.list() ?? []).filter((p) =>
      matchesLabels(selector, p.metadata.labels ?? {}),
    );
  }

  private record(run: PoolRun, d: DecisionRecord): DecisionRecord {
    run.decisions.push(d);
    if (run.decisions.length > KEEP_DECISIONS) run.decisions.shift();
    const changed = d.code !== run.lastCode || d.replicas !== run.lastReplicas;
    if (d.acted || d.error || changed) {
      const who = d.acted ? '' : d.action !== 'hold' ? ' (standby: not the leader)' : '';
      const victims = d.victims ? `; removing idle pods ${d.victims.join(', ')}` : '';
      const err = d.error ? `; write failed: ${d.error}` : '';
      this.o.log(`${d.reason}${victims}${who}${err}`);
    }
    run.lastCode = d.code;
    run.lastReplicas = d.replicas;
    return d;
  }

  /** What `berth autoscale explain` shows: policy, source, recent readings and decisions. */
  explain(pool: string): PoolExplanation | undefined {
    const run = this.runs.get(pool);
    if (!run) return undefined;
    return {
      pool,
      namespace: run.target.namespace,
      source: describeSource(run.target.source),
      pollMs: run.target.pollMs,
      policy: run.target.policy,
      leader: this.o.elector.isLeader(),
      replicas: run.state.replicas,
      pods: run.state.pods,
      samples: [...run.state.samples],
      decisions: [...run.decisions],
    };
  }

  poolNames(): string[] {
    return [...this.runs.keys()];
  }
}

export interface PoolExplanation {
  pool: string;
  namespace: string;
  source: string;
  pollMs: number;
  policy: ScalePolicy;
  leader: boolean;
  replicas: number;
  pods?: { idle: number; busy: number };
  samples: PoolState['samples'][number][];
  decisions: DecisionRecord[];
}
