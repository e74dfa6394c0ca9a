/**
 * `berth autoscale run`, assembled: the pools of the workspace whose engine is berth, their
 * sources (with endpoint overrides), leader election, the controller and its HTTP endpoint.
 */
import { FieldManager, type KubeApi } from '../../kube/api.ts';
import { systemClock } from '../../kube/http/transport.ts';
import { createSourceReader } from '../../sources/index.ts';
import type { Workspace } from '../../spec/workspace.ts';
import { LEASE_NAME } from '../names.ts';
import { berthPools, policyOf, sourceOf, type Endpoints } from '../pools.ts';
import { activePollMs } from '../poll.ts';
import { AutoscaleController, type PoolTarget } from './controller.ts';
import type { Clock } from '../../kube/leader.ts';
import { OnDemandLease } from './lease.ts';
import { AutoscaleMetrics } from './metrics.ts';
import { startStatusServer } from './server.ts';

export interface RunOptions {
  api: KubeApi;
  ws: Workspace;
  endpoints?: Endpoints;
  /** Only these pools. @default every pool with engine berth */
  only?: readonly string[];
  identity: string;
  /** Namespace of the leader Lease. @default platform autoscaling.namespace, else its namespace */
  leaseNamespace?: string;
  /** @default 15 */
  leaseSeconds?: number;
  /** How long the leader keeps the Lease after its last scaling (ADR 0136). @default 60_000 */
  lingerMs?: number;
  listen: { host: string; port: number };
  log: (line: string) => void;
  /** @default the system clock */
  clock?: Clock;
}

export interface RunningAutoscaler {
  url: string;
  controller: AutoscaleController;
  elector: OnDemandLease;
  pools: PoolTarget[];
  stop(): Promise<void>;
}

/** The pools to scale, or an Error naming what is wrong (unknown pool, not engine berth). */
export function targetsOf(
  ws: Workspace,
  endpoints: Endpoints,
  only?: readonly string[],
): PoolTarget[] {
  const pools = berthPools(ws);
  for (const name of only ?? [])
    if (!pools.some((p) => p.name === name))
      throw new Error(
        `--pool ${name}: not an AgentPool with a queue, maxReplicas and engine berth`,
      );
  return pools
    .filter((p) => !only?.length || only.includes(p.name))
    .map((p) => ({
      name: p.name,
      namespace: p.namespace,
      policy: policyOf(p),
      source: sourceOf(p, ws, endpoints),
      pollMs: p.spec.scaling.pollSeconds * 1000,
      activePollMs: activePollMs(p.spec.scaling.pollSeconds * 1000),
    }));
}

/** The port, with every call counted in `berth_autoscaler_api_requests_total{verb}`. */
function counted(api: KubeApi, metrics: AutoscaleMetrics): KubeApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]): unknown => {
        metrics.apiRequests.inc({ verb: String(prop) });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export async function runAutoscaler(o: RunOptions): Promise<RunningAutoscaler> {
  const pools = targetsOf(o.ws, o.endpoints ?? {}, o.only);
  const clock = o.clock ?? systemClock;
  const platform = o.ws.platform.spec;
  const leaseNamespace =
    o.leaseNamespace ?? platform.autoscaling.namespace ?? platform.namespace ?? o.ws.platform.name;
  const metrics = new AutoscaleMetrics();
  const api = counted(o.api, metrics);
  // Leadership on demand (ADR 0136): the Lease is taken before a scaling and handed back after
  // `lingerMs` without one, so an idle autoscaler makes no Lease requests.
  const elector = new OnDemandLease(api, {
    namespace: leaseNamespace,
    name: LEASE_NAME,
    identity: o.identity,
    clock,
    fieldManager: FieldManager.autoscaler,
    ...(o.leaseSeconds !== undefined ? { leaseSeconds: o.leaseSeconds } : {}),
    ...(o.lingerMs !== undefined ? { lingerMs: o.lingerMs } : {}),
    onChange: (leader, why) => {
      metrics.leader.set(leader ? 1 : 0);
      o.log(`autoscaler ${o.identity}: ${leader ? 'leader' : 'standby'} (${why})`);
    },
  });
  const reader = createSourceReader();
  const controller = new AutoscaleController({
    api,
    pools,
    reader,
    elector,
    clock,
    log: o.log,
    metrics,
  });
  await controller.start();
  const server = await startStatusServer({ ...o.listen, controller, metrics });
  o.log(
    `autoscaler ${o.identity}: ${pools.length} pools (${pools.map((p) => p.name).join(', ')}), lease ${leaseNamespace}/${LEASE_NAME} (taken to scale), ${server.url}/metrics, field manager ${FieldManager.autoscaler}`,
  );
  return {
    url: server.url,
    controller,
    elector,
    pools,
    async stop() {
      await controller.stop();
      await elector.stop();
      await server.close();
      await reader.close();
    },
  };
}
