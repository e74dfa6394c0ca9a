/**
 * The dashboard's view model from the running parts (until the dashboard's own view provider
 * replaces it): open incidents from the state in the cluster, the ledger, the pools' last decision.
 */
import type { ConfigMapStore } from '../../watchdog/adapters/configmap-store.ts';
import type { TrackerState } from '../../watchdog/tracker.ts';
import type { DashboardView } from '../dashboard.ts';
import type { ServiceAutoscaler } from './autoscaler.ts';
import type { ServiceWatchdog } from './watchdog.ts';

export interface ViewSources {
  version: string;
  identity: string;
  leader: boolean;
  ready: boolean;
  watchdog: ServiceWatchdog;
  autoscaler: ServiceAutoscaler | undefined;
  /** The state ConfigMap, read with the raw port. */
  state?: ConfigMapStore<TrackerState>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function buildView(s: ViewSources): Promise<DashboardView> {
  const state = s.state ? await s.state.load().catch(() => undefined) : undefined;
  const ledger = await s.watchdog.ledger().catch(() => []);
  return {
    version: s.version,
    identity: s.identity,
    leader: s.leader,
    ready: s.ready,
    incidents: Object.values(state?.open ?? {}).map((i) => ({
      title: i.title,
      severity: i.severity,
      since: iso(i.firstSeen),
      evidence: [],
    })),
    ledger: ledger
      .slice(-50)
      .reverse()
      .map((e) => ({
        id: e.id,
        at: iso(e.at),
        command: e.action.command,
        status: e.status,
        incident: e.incident,
        ...(e.result ? { result: e.result } : {}),
      })),
    pools: (s.autoscaler?.pools ?? []).map((name) => {
      const x = s.autoscaler?.controller.explain(name);
      const last = x?.decisions.at(-1);
      const depth = x?.samples.at(-1)?.depth;
      return {
        name,
        replicas: x?.replicas ?? 0,
        ...(depth !== undefined ? { depth } : {}),
        ...(last ? { reason: last.reason, decidedAt: iso(last.at) } : {}),
      };
    }),
  };
}
