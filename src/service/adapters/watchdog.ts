/**
 * The watchdog inside `berth serve` (ADR 0104, 0105). Every replica runs the informers, metrics
 * polls and schedules (warm standby); only the leader has an engine and a notifier. `lead()`
 * finishes what the previous leader left (recover.ts), then builds an engine whose ledger, state
 * and outbox are ConfigMaps written through the fenced port, and delivers the outbox;
 * `standby()` drops them (their writes are fenced anyway). `stop()` flushes the outbox.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeApi } from '../../kube/api.ts';
import { Notifier, type NotifierEvent } from '../../notify/notifier.ts';
import { ConfigMapOutboxStore } from '../../notify/outbox/configmap-store.ts';
import type { Target } from '../../notify/targets.ts';
import type { FetchLike } from '../../notify/transport.ts';
import type { Notification } from '../../notify/types.ts';
import { KubeActuator, type Actuator } from '../../watchdog/adapters/actions.ts';
import {
  ConfigMapStore,
  ledgerConfigMap,
  stateConfigMap,
  type JsonStore,
} from '../../watchdog/adapters/configmap-store.ts';
import { WatchdogEngine, type PassResult } from '../../watchdog/adapters/engine.ts';
import { portLogReader } from '../../watchdog/adapters/pod-logs.ts';
import { WatchdogRunner } from '../../watchdog/adapters/runner.ts';
import type { WatchdogConfig } from '../../watchdog/config.ts';
import type { Incident } from '../../watchdog/incidents.ts';
import type { ClusterState } from '../../watchdog/model.ts';
import type { LedgerEntry } from '../../watchdog/policy/types.ts';
import type { TrackerState } from '../../watchdog/tracker.ts';
import { maskSecrets } from '../../secrets/index.ts';
import { FencedError } from '../fence.ts';
import type { ServiceMetrics } from '../metrics.ts';
import { finishPending, LedgerOverlay, recoverLeadership } from './recover.ts';
import { queuedIds, StateTap } from './stable-ids.ts';

export interface WatchdogPartOptions {
  /** The raw port: informers, reads. */
  kube: KubeApi;
  /** The fenced port: every write. */
  fenced: KubeApi;
  config: WatchdogConfig;
  /** Namespace of the ledger, state and outbox ConfigMaps. */
  namespace: string;
  targets: readonly Target[];
  metrics: ServiceMetrics;
  /** Whether this replica may act now (the fence's question), for notification delivery. */
  mayAct: () => boolean;
  identity: string;
  /**
   * The one masking of `berth serve` (src/secrets/known.ts: berth's own secret values, the
   * Secrets it may read, the pattern table): notifications and stored incident evidence go
   * through it. @default the pattern table alone
   */
  mask?: (text: string) => string;
  /** LLM explanation for the messages. @default none */
  explain?: (incident: Incident) => Promise<string>;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  log: (line: string) => void;
}

interface Leading {
  engine: WatchdogEngine;
  notifier: Notifier;
  tap: StateTap;
  /** Verification of the previous leader's unverified actions. */
  finishing: Promise<unknown>;
  /** The engine's ledger store, which carries changes made beside the engine. */
  ledger: LedgerOverlay;
}

const emptyPass = (): PassResult => ({ findings: [], incidents: [], decisions: [], messages: 0 });

export class ServiceWatchdog {
  readonly runner: WatchdogRunner;
  private leading: Leading | undefined;
  private transitions: Promise<unknown> = Promise.resolve();
  private synced = false;
  readonly ledgerStore: ConfigMapStore<LedgerEntry[]>;
  readonly actuator: Actuator;

  constructor(private readonly o: WatchdogPartOptions) {
    const { config } = o;
    this.ledgerStore = new ConfigMapStore(o.fenced, o.namespace, ledgerConfigMap, 'entries.json');
    this.actuator = measuredActuator(new KubeActuator(o.fenced), o.metrics);
    this.runner = new WatchdogRunner({
      kube: o.kube,
      engine: {
        pass: (state, opts) => this.pass(state, opts ?? {}),
        settle: () => this.leading?.engine.settle() ?? Promise.resolve(),
      },
      detectors: config.detectors,
      schedules: config.schedules,
      metricsIntervalMs: config.metricsIntervalMs,
      metricsWindowMs: config.detectorOptions.sustainedMs + 2 * config.metricsIntervalMs,
      logs: portLogReader(o.kube),
      ...(config.prometheus ? { volumes: config.prometheus } : {}),
      log: o.log,
    });
  }

  /** Starts the informers; resolves once they have synced. */
  async start(): Promise<void> {
    await this.runner.start();
    this.synced = true;
  }

  isSynced(): boolean {
    return this.synced;
  }

  isLeading(): boolean {
    return this.leading !== undefined;
  }

  /** The current engine's ledger (leader) or the one in the cluster (standby). */
  async ledger(): Promise<LedgerEntry[]> {
    return this.leading ? this.leading.engine.ledger() : ((await this.ledgerStore.load()) ?? []);
  }

  /**
   * The ledger as the dashboard's undo sees it (`UndoLedger`): the leading engine's store, so the
   * engine's cached copy never overwrites an undo; a standby may read but not change it.
   */
  undoLedger(): {
    load(): Promise<LedgerEntry[]>;
    update(id: string, change: Partial<LedgerEntry>): Promise<void>;
  } {
    return {
      load: async () =>
        (await (this.leading ? this.leading.ledger.load() : this.ledgerStore.load())) ?? [],
      update: async (id, change) => {
        if (!this.leading) throw new FencedError(this.o.identity, `ledger update of ${id}`);
        await this.leading.ledger.update(id, change);
      },
    };
  }

  lead(): Promise<void> {
    return this.serially(async () => {
      if (this.leading) return;
      const o = this.o;
      const mask = o.mask ?? ((text: string) => maskSecrets(text));
      const stateStore = maskedState(
        new ConfigMapStore<TrackerState>(o.fenced, o.namespace, stateConfigMap, 'incidents.json'),
        mask,
      );
      const store = new ConfigMapOutboxStore(o.fenced, { namespace: o.namespace });
      const fetchImpl = o.fetch ?? globalThis.fetch;
      const notifier = await Notifier.open({
        targets: o.targets,
        store,
        mask,
        // Delivery is fenced too: a replica that lost its lease sends nothing more.
        fetch: (url, init) =>
          o.mayAct()
            ? fetchImpl(url, init)
            : Promise.reject(new FencedError(o.identity, 'notification delivery')),
        onEvent: (e: NotifierEvent) => {
          o.metrics.notifications.inc({ target: e.target, result: e.type });
          if (e.type !== 'delivered') o.log(`notify ${e.target}: ${e.type} (${e.error ?? ''})`);
        },
      });
      const outbox = await new ConfigMapOutboxStore(o.kube, { namespace: o.namespace }).load();
      const recovery = await recoverLeadership({
        state: stateStore,
        ledger: this.ledgerStore,
        queued: queuedIds(outbox?.recent ?? []),
        notify: (n) => notifier.notify(n),
        now: Date.now,
        log: o.log,
      });
      const ledger = new LedgerOverlay(this.ledgerStore);
      const tap = new StateTap(stateStore);
      const engine = new WatchdogEngine({
        ...o.config,
        actuator: this.actuator,
        ledger,
        state: tap,
        notify: (n: Notification) => notifier.notify(tap.withStableId(n)),
        replicasOf: async (ref) =>
          (await o.kube.getScale({ ...ref, apiVersion: 'apps/v1' }).catch(() => undefined))
            ?.replicas,
        log: o.log,
        ...(o.explain ? { explain: o.explain } : {}),
      });
      // Actions the previous leader did not verify: verified now, in the background (never redone).
      const finishing = Promise.all(
        recovery.pending.map((p) =>
          finishPending(p, {
            actuator: this.actuator,
            ledger,
            notify: (n) => notifier.notify(n),
            verifyTimeoutMs: o.config.policy.verifyTimeoutMs,
            now: Date.now,
          }).catch((error: unknown) =>
            o.log(`leader: ${p.entry.id}: not verified: ${(error as Error).message}`),
          ),
        ),
      );
      this.leading = { engine, notifier, tap, finishing, ledger };
      notifier.start();
      o.log(
        `watchdog: acting (${recovery.reopened.length} incident(s) to notify again, ${recovery.finished.length} result(s) of the previous leader queued, ${recovery.pending.length} to verify)`,
      );
      if (this.synced) void this.runner.enqueue(false);
    });
  }

  standby(): Promise<void> {
    return this.serially(async () => {
      const was = this.leading;
      if (!was) return;
      this.leading = undefined;
      // Remediations under way are not waited for: their writes are fenced from now on.
      await was.notifier.stop();
      this.o.log('watchdog: standby (no remediation, no notification)');
    });
  }

  /** Stops the informers; when leading, flushes the outbox first (bounded). */
  async stop(o: { flushMs?: number } = {}): Promise<{ pending: number }> {
    await this.runner.stop();
    let pending = 0;
    await this.serially(async () => {
      const was = this.leading;
      if (!was) return;
      // A remediation still verifying is not waited for past the bound: the next leader
      // verifies it and reports (recover.ts).
      await Promise.race([
        Promise.all([was.engine.settle(), was.finishing]),
        delay(o.flushMs ?? 10_000, undefined, { ref: false }),
      ]);
      const r = await was.notifier.drain({ timeoutMs: o.flushMs ?? 10_000 });
      await was.notifier.stop();
      pending = r.pending;
      this.leading = undefined;
    });
    return { pending };
  }

  private async pass(state: ClusterState, opts: { reports?: boolean }): Promise<PassResult> {
    const leading = this.leading;
    if (!leading || !this.o.mayAct()) return emptyPass();
    const r = await leading.engine.pass(state, opts);
    for (const f of r.findings) this.o.metrics.detections.inc({ detector: f.detector });
    for (const d of r.decisions)
      this.o.metrics.incidents.inc({ detector: d.incident.detector, decision: d.decision.type });
    return r;
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.transitions.then(fn);
    this.transitions = run.catch((error: unknown) =>
      this.o.log(`watchdog: leadership change failed: ${(error as Error).message}`),
    );
    return run;
  }
}

/** The incident state, its titles and evidence masked before they are stored (the dashboard shows them). */
function maskedState(
  inner: JsonStore<TrackerState>,
  mask: (text: string) => string,
): JsonStore<TrackerState> {
  return {
    get description() {
      return inner.description;
    },
    load: () => inner.load(),
    save: (state) =>
      inner.save({
        ...state,
        open: Object.fromEntries(
          Object.entries(state.open).map(([k, o]) => [
            k,
            {
              ...o,
              title: mask(o.title),
              ...(o.evidence ? { evidence: o.evidence.map((e) => mask(e)) } : {}),
            },
          ]),
        ),
      }),
  };
}

/** The actuator, counting each remediation's result in the metrics. */
function measuredActuator(inner: Actuator, metrics: ServiceMetrics): Actuator {
  return {
    inverseFor: (a) => inner.inverseFor(a),
    undo: (e) => inner.undo(e),
    async execute(a) {
      try {
        await inner.execute(a);
      } catch (error) {
        metrics.actions.inc({
          action: a.action,
          result: error instanceof FencedError ? 'fenced' : 'error',
        });
        throw error;
      }
    },
    async verify(a, deadline) {
      const v = await inner.verify(a, deadline);
      metrics.actions.inc({ action: a.action, result: v.ok ? 'verified' : 'failed' });
      return v;
    },
  };
}
