/**
 * `berth serve`, assembled (ADR 0100, 0104): self-audit → HTTP → Lease elector → the watchdog and
 * the autoscaler, both fed by warm informers on every replica; the leader alone acts, through the
 * fenced port. Leadership is reconciled on every elector change and every second, so a replica
 * whose lease went stale stops acting even when the API server cannot tell it so.
 *
 * `stop()` (SIGTERM): stop acting (no new pass, no new scaling), flush the outbox while the lease
 * is still held, hand the lease back, close HTTP.
 */
import type { KubeApi } from '../../kube/api.ts';
import type { Clock } from '../../kube/leader.ts';
import type { Endpoints } from '../../autoscale/pools.ts';
import type { Target } from '../../notify/targets.ts';
import type { FetchLike } from '../../notify/transport.ts';
import type { Workspace } from '../../spec/workspace.ts';
import type { WatchdogConfig } from '../../watchdog/config.ts';
import type { Incident } from '../../watchdog/incidents.ts';
import type { AuthConfig } from '../auth.ts';
import { fenceKube } from '../fence.ts';
import { startHttp } from '../http.ts';
import { ServiceMetrics } from '../metrics.ts';
import type { Excess } from '../self-audit.ts';
import { startService, type RunningService } from '../service.ts';
import { ServiceAutoscaler } from './autoscaler.ts';
import { selfAuditScope } from './self-audit.ts';
import { autoscalerViewSources, clusterViewProvider, schedulesOf } from './view-cluster.ts';
import { createUndoService } from './view-undo.ts';
import { ServiceWatchdog } from './watchdog.ts';

export interface ServeOptions {
  api: KubeApi;
  identity: string;
  /** Namespace of the Lease and of the state ConfigMaps. */
  namespace: string;
  /** @default 'berth-service' */
  leaseName?: string;
  /** @default 15 */
  leaseSeconds?: number;
  clock: Clock;
  /** @default false */
  allowExcessPower?: boolean;
  config: WatchdogConfig;
  /** The workspace whose autoscaled pools (engine berth) to scale. @default none */
  ws?: Workspace;
  endpoints?: Endpoints;
  targets: readonly Target[];
  http: { host: string; port: number; auth: AuthConfig };
  version: string;
  explain?: (incident: Incident) => Promise<string>;
  /**
   * The one masking (src/secrets/known.ts) for notifications, stored evidence and the
   * dashboard. @default the pattern table alone
   */
  mask?: (text: string) => string;
  /** Metrics to use (the LLM explainer's token counter feeds them). @default new */
  metrics?: ServiceMetrics;
  /** @default globalThis.fetch (notification delivery) */
  fetch?: FetchLike;
  log: (line: string) => void;
}

export interface RunningServe {
  url: string;
  excess: Excess[];
  metrics: ServiceMetrics;
  watchdog: ServiceWatchdog;
  autoscaler: ServiceAutoscaler | undefined;
  service: RunningService;
  isLeader(): boolean;
  /** SIGTERM: stop acting, flush the outbox, hand the lease back. */
  stop(): Promise<{ pending: number }>;
}

export async function serve(o: ServeOptions): Promise<RunningServe> {
  const metrics = o.metrics ?? new ServiceMetrics();
  let acting = false;
  let stopping = false;
  // The elector exists once startService returns; the fence and the parts ask it lazily.
  const box: { service?: RunningService } = {};
  const holder = {
    identity: o.identity,
    validUntil: () => (stopping ? 0 : (box.service?.elector.validUntil() ?? 0)),
  };
  const fenced = fenceKube(o.api, {
    holder,
    now: () => o.clock.now(),
    onRefused: (what) => {
      metrics.fencedWrites.inc();
      o.log(`fenced: ${what}`);
    },
  });
  const mayAct = () => o.clock.now() < holder.validUntil();
  const watchdog = new ServiceWatchdog({
    kube: o.api,
    fenced,
    config: o.config,
    namespace: o.namespace,
    targets: o.targets,
    metrics,
    mayAct,
    identity: o.identity,
    log: o.log,
    ...(o.explain ? { explain: o.explain } : {}),
    ...(o.mask ? { mask: o.mask } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  const autoscaler = o.ws
    ? new ServiceAutoscaler({
        kube: o.api,
        fenced,
        ws: o.ws,
        ...(o.endpoints ? { endpoints: o.endpoints } : {}),
        // Scales only once the previous leader's scalings are restored.
        elector: { identity: o.identity, isLeader: () => acting && mayAct() },
        clock: o.clock,
        namespace: o.namespace,
        log: o.log,
      })
    : undefined;
  if (autoscaler) metrics.merge(autoscaler.metrics.registry);

  let reconciling: Promise<void> = Promise.resolve();
  const reconcile = (): Promise<void> => {
    reconciling = reconciling
      .then(async () => {
        const leads = !stopping && mayAct();
        metrics.leader.set(leads && acting ? 1 : 0);
        if (leads && !acting) {
          await watchdog.lead();
          await autoscaler?.lead();
          acting = watchdog.isLeading();
          metrics.leader.set(acting ? 1 : 0);
          if (acting) metrics.leaderChanges.inc({ to: 'leader' });
        } else if (!leads && acting) {
          acting = false;
          metrics.leader.set(0);
          metrics.leaderChanges.inc({ to: 'standby' });
          await watchdog.standby();
        }
      })
      .catch((error: unknown) => o.log(`leadership: ${(error as Error).message}`));
    return reconciling;
  };

  const service = await startService({
    api: o.api,
    identity: o.identity,
    namespace: o.namespace,
    ...selfAuditScope(o),
    clock: o.clock,
    log: o.log,
    ...(o.leaseName ? { leaseName: o.leaseName } : {}),
    ...(o.leaseSeconds !== undefined ? { leaseSeconds: o.leaseSeconds } : {}),
    ...(o.allowExcessPower ? { allowExcessPower: true } : {}),
    onLeader: () => void reconcile(),
    onStandby: () => void reconcile(),
  });
  box.service = service;
  const ready = () => watchdog.isSynced() && (autoscaler?.isSynced() ?? true);
  // The dashboard (ADR 0110–0111): its page read from the cluster, its undo an action carried out
  // by the leader through the fenced port and the leading engine's ledger.
  const undo = createUndoService({
    kube: o.api,
    actingKube: fenced,
    namespace: o.namespace,
    policy: o.config.policy,
    identity: o.identity,
    isLeader: () => acting && mayAct(),
    ledger: watchdog.undoLedger(),
    log: o.log,
  });
  const http = await startHttpOrRelease(service, {
    ...o.http,
    registry: metrics.registry,
    ready,
    undo,
    view: clusterViewProvider({
      kube: o.api,
      namespace: o.namespace,
      lease: { namespace: o.namespace, name: o.leaseName ?? 'berth-service' },
      identity: o.identity,
      version: o.version,
      ready,
      leader: () => acting && mayAct(),
      policy: o.config.policy,
      undo: true,
      ...(o.mask ? { mask: o.mask } : {}),
      ...(autoscaler ? autoscalerViewSources(autoscaler.controller) : {}),
      schedules: schedulesOf(o.config),
      runs: () => watchdog.runner.lastRuns(),
    }),
  });
  undo.start();
  const ticker = new AbortController();
  const loop = (async () => {
    while (!ticker.signal.aborted) {
      await reconcile();
      await o.clock.sleep(1_000, ticker.signal).catch(() => undefined);
    }
  })();
  try {
    await Promise.all([watchdog.start(), autoscaler?.start()]);
  } catch (error) {
    // Informers that cannot start (RBAC, a missing kind): nothing is left running.
    ticker.abort();
    await loop;
    stopping = true;
    await Promise.allSettled([undo.stop(), watchdog.stop({ flushMs: 0 }), autoscaler?.stop()]);
    await service.stop();
    await http.close();
    throw error;
  }
  metrics.ready.set(1);
  o.log(
    `serving ${http.url} as ${o.identity}: watchdog ${o.config.name}, ${autoscaler?.pools.length ?? 0} autoscaled pool(s), lease ${o.namespace}/${o.leaseName ?? 'berth-service'}`,
  );
  const running = service;
  return {
    url: http.url,
    excess: running.excess,
    metrics,
    watchdog,
    autoscaler,
    service: running,
    isLeader: () => acting,
    async stop() {
      ticker.abort();
      await loop;
      await undo.stop();
      await autoscaler?.stop();
      // The lease is still held: the outbox flush (fenced writes) can settle what it delivers.
      const r = await watchdog.stop({ flushMs: 10_000 });
      stopping = true;
      acting = false;
      metrics.leader.set(0);
      await running.stop();
      await http.close();
      return r;
    },
  };
}

/** HTTP, or the lease handed back when it cannot start (a port in use). */
async function startHttpOrRelease(
  service: RunningService,
  options: Parameters<typeof startHttp>[0],
): ReturnType<typeof startHttp> {
  try {
    return await startHttp(options);
  } catch (error) {
    await service.stop();
    throw error;
  }
}
