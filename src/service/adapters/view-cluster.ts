/**
 * The dashboard's data, read from the cluster on each page load (ADR 0111), so the leader and
 * every standby show the same page: the service's Lease (who leads), the watchdog's incident
 * state and ledger ConfigMaps (with the undo requests), the autoscaler's decisions ConfigMap and
 * each pool's Deployment. All reads run in parallel, each with a deadline; a read that fails or
 * times out becomes a notice on the page, never an error page. What the cluster does not keep
 * (the latest depth reading and hold reasons of the local autoscaler, the schedules' last runs)
 * comes from injected providers.
 */
import { Cron } from 'croner';
import { operationBounds, type KubeApi } from '../../kube/api.ts';
import type { KubeObject } from '../../model/object.ts';
import { readLease } from '../../release/lock.ts';
import { ledgerConfigMap, stateConfigMap } from '../../watchdog/adapters/configmap-store.ts';
import type { Detector } from '../../watchdog/model.ts';
import type { LedgerEntry, Policy } from '../../watchdog/policy/types.ts';
import { toCronerSchedule } from '../../watchdog/schedule.ts';
import type { TrackerState } from '../../watchdog/tracker.ts';
import type { DashboardView } from '../dashboard.ts';
import type { ViewQuery } from '../http.ts';
import {
  buildView,
  type PoolDecisionInput,
  type PoolInput,
  type ScheduleInput,
  type ScheduleRun,
  type ViewInput,
} from '../view.ts';
import { parseRequests, undoKey } from '../view-undo.ts';

/** ConfigMap where `berth serve` keeps each pool's last scaling (ADR 0105), key `decisions.json`. */
export const autoscalerDecisionsConfigMap = 'berth-service-autoscaler';

export interface ClusterViewOptions {
  /** The raw (unfenced) port: the page only reads. */
  kube: KubeApi;
  /** Namespace of the ledger, state and autoscaler ConfigMaps. */
  namespace: string;
  /** The service's Lease. */
  lease: { namespace: string; name: string };
  identity: string;
  version: string;
  ready: () => boolean;
  /** Whether this replica acts now. */
  leader: () => boolean;
  /** Masks incident titles and evidence (serve's one masker). @default the pattern table */
  mask?: (text: string) => string;
  /** The watchdog's policy: undo buttons are offered only for what it allows. @default none */
  policy?: Policy;
  /** An undo handler is wired (`startHttp({ undo })`). @default false */
  undo?: boolean;
  /** The autoscaled pools (berth engine) and their bounds. @default none */
  pools?: readonly { name: string; namespace: string; min?: number; max?: number }[];
  /** The local autoscaler's latest decision per pool (depth and reason). @default none */
  decisions?: () => readonly PoolDecisionInput[];
  /** Scheduled detectors (see `schedulesOf`). @default none */
  schedules?: readonly { detector: string; schedule: string }[];
  /** Last run of each schedule, by detector id. @default unknown */
  runs?: () => Readonly<Record<string, ScheduleRun>>;
  /** Deadline of each read. @default 5000 */
  timeoutMs?: number;
  now?: () => number;
}

/** The schedules the runner starts: `schedule`-triggered detectors, with the config's overrides. */
export function schedulesOf(config: {
  detectors: readonly Detector[];
  schedules: Readonly<Record<string, string>>;
}): { detector: string; schedule: string }[] {
  return config.detectors.flatMap((d) => {
    const schedule = config.schedules[d.id] ?? d.schedule;
    return schedule && d.trigger === 'schedule' ? [{ detector: d.id, schedule }] : [];
  });
}

/** When a schedule fires next (croner), or undefined when the pattern is not valid. */
export function nextRunOf(schedule: string, now: number): number | undefined {
  try {
    const s = toCronerSchedule(schedule);
    const cron = new Cron(s.pattern, { paused: true });
    return cron.nextRun(new Date(now))?.getTime();
  } catch {
    return undefined; // shown without a next run; the runner reports the bad pattern itself
  }
}

/** What the view needs of the autoscaler controller (`AutoscaleController` is one). */
export interface PoolExplainer {
  poolNames(): string[];
  explain(pool: string):
    | {
        namespace: string;
        policy: { min: number; max: number };
        decisions: readonly { at: number; depth?: number; reason: string }[];
      }
    | undefined;
}

/** `pools` and `decisions` for `clusterViewProvider` from the local autoscaler controller. */
export function autoscalerViewSources(
  controller: PoolExplainer,
): Pick<ClusterViewOptions, 'pools' | 'decisions'> {
  const pools = controller.poolNames().flatMap((name) => {
    const x = controller.explain(name);
    return x ? [{ name, namespace: x.namespace, min: x.policy.min, max: x.policy.max }] : [];
  });
  return {
    pools,
    decisions: () =>
      pools.flatMap((p) => {
        const last = controller.explain(p.name)?.decisions.at(-1);
        if (!last) return [];
        const d: PoolDecisionInput = { pool: p.name, at: last.at, reason: last.reason };
        if (last.depth !== undefined) d.depth = last.depth;
        return [d];
      }),
  };
}

interface PoolRecord {
  last?: { at: number; replicas: number; code: string; reason: string };
}

function dataOf(cm: KubeObject | undefined): Record<string, string> {
  return (cm as { data?: Record<string, string> } | undefined)?.data ?? {};
}

function parseJson<T>(text: string | undefined, where: string): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${where} is not JSON (${(error as Error).message})`);
  }
}

/** `(query) => Promise<DashboardView>` for `startHttp({ view })`. */
export function clusterViewProvider(
  o: ClusterViewOptions,
): (query: ViewQuery) => Promise<DashboardView> {
  const now = o.now ?? Date.now;
  const cm = (name: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: o.namespace,
    name,
  });
  return async (query) => {
    const notices: string[] = [];
    const read = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (error) {
        notices.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    };
    const get = (ref: Parameters<KubeApi['get']>[0]) =>
      o.kube.get(ref, operationBounds(o.timeoutMs ?? 5000));
    const where = (name: string, key: string) => `ConfigMap ${o.namespace}/${name} key ${key}`;
    const [lease, incidents, ledger, decided, deployments] = await Promise.all([
      read('leader Lease', async () => {
        const l = await get({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          namespace: o.lease.namespace,
          name: o.lease.name,
        });
        return l ? readLease(l) : {};
      }),
      read('incidents', async () =>
        parseJson<TrackerState>(
          dataOf(await get(cm(stateConfigMap)))['incidents.json'],
          where(stateConfigMap, 'incidents.json'),
        ),
      ),
      read('ledger', async () => {
        const data = dataOf(await get(cm(ledgerConfigMap)));
        return {
          entries:
            parseJson<LedgerEntry[]>(
              data['entries.json'],
              where(ledgerConfigMap, 'entries.json'),
            ) ?? [],
          requests: parseRequests(data[undoKey], `ConfigMap ${o.namespace}/${ledgerConfigMap}`),
        };
      }),
      o.pools?.length
        ? read('autoscaler decisions', async () =>
            parseJson<Record<string, PoolRecord>>(
              dataOf(await get(cm(autoscalerDecisionsConfigMap)))['decisions.json'],
              where(autoscalerDecisionsConfigMap, 'decisions.json'),
            ),
          )
        : undefined,
      Promise.all(
        (o.pools ?? []).map((p) =>
          read(`Deployment ${p.namespace}/${p.name}`, () =>
            get({
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              namespace: p.namespace,
              name: p.name,
            }),
          ),
        ),
      ),
    ]);
    const at = now();
    const pools: PoolInput[] = (o.pools ?? []).map((p, i) => {
      const d = deployments[i] as { spec?: { replicas?: number } } | undefined;
      const row: PoolInput = { name: p.name, namespace: p.namespace };
      if (d) row.replicas = d.spec?.replicas ?? 1;
      if (p.min !== undefined) row.min = p.min;
      if (p.max !== undefined) row.max = p.max;
      return row;
    });
    const local = o.decisions?.() ?? [];
    // The cluster's last scaling, unless the local autoscaler decided since (it also says why
    // it holds, and the depth it read).
    const decisions: PoolDecisionInput[] = pools.flatMap((p) => {
      const mine = local.find((d) => d.pool === p.name);
      const last = decided?.[p.name]?.last;
      if (mine && (!last || mine.at >= last.at)) return [mine];
      return last ? [{ pool: p.name, at: last.at, reason: last.reason }] : [];
    });
    const schedules: ScheduleInput[] = (o.schedules ?? []).map((s) => {
      const next = nextRunOf(s.schedule, at);
      return next === undefined ? { ...s } : { ...s, nextRun: next };
    });
    const input: ViewInput = {
      version: o.version,
      identity: o.identity,
      leader: o.leader(),
      ready: o.ready(),
      now: at,
      pools,
      decisions,
      schedules,
      notices,
    };
    if (lease) input.lease = lease;
    if (incidents) input.incidents = incidents;
    if (ledger) {
      input.ledger = ledger.entries;
      input.requests = ledger.requests;
    }
    if (o.policy) input.policy = o.policy;
    if (o.undo) input.undo = true;
    if (o.mask) input.mask = o.mask;
    const runs = o.runs?.();
    if (runs) input.runs = runs;
    if (query.undoRequest) input.undoRequest = query.undoRequest;
    return buildView(input);
  };
}
