/**
 * From the spec to the autoscaler's plain data (pure): which pools berth scales, each pool's
 * policy, and the source its depth is read from (with per-store endpoint overrides for runs
 * outside the cluster: `--endpoint nats=nats://127.0.0.1:4222`).
 */
import type { Source } from '../sources/index.ts';
import { exposedPorts } from '../spec/resolve.ts';
import type { Component, PlatformSpec, Workspace } from '../spec/workspace.ts';
import type { ScalePolicy, StepPolicy } from './types.ts';

export type AgentPool = Extract<Component, { kind: 'AgentPool' }>;
export type Engine = 'berth' | 'keda';

/** The engine that scales a queue pool: its own choice, else the platform's. */
export function engineOf(pool: AgentPool, platform: PlatformSpec): Engine {
  return pool.spec.scaling.engine ?? platform.autoscaling.engine;
}

/** Whether the pool scales on a queue (needs maxReplicas and a queue). */
export function isQueuePool(c: Component): c is AgentPool {
  return c.kind === 'AgentPool' && c.spec.queue !== undefined && c.spec.maxReplicas !== undefined;
}

/** The pools berth's autoscaler owns, in spec order. */
export function berthPools(ws: Workspace): AgentPool[] {
  return ws.components.filter(
    (c): c is AgentPool => isQueuePool(c) && engineOf(c, ws.platform.spec) === 'berth',
  );
}

const stepOf = (s: AgentPool['spec']['scaling']['up']): StepPolicy => ({
  step: s.step,
  stepType: s.stepType,
  stabilizationMs: s.stabilizationSeconds * 1000,
  cooldownMs: s.cooldownSeconds * 1000,
  ...(s.limitReplicas !== undefined ? { limitReplicas: s.limitReplicas } : {}),
  limitPeriodMs: s.limitPeriodSeconds * 1000,
});

export function policyOf(pool: AgentPool): ScalePolicy {
  const s = pool.spec.scaling;
  const min = pool.spec.minReplicas ?? pool.spec.replicas;
  return {
    pool: pool.name,
    min,
    max: Math.max(min, pool.spec.maxReplicas ?? min),
    rule:
      s.rule === 'threshold'
        ? { type: 'threshold', upAbove: s.scaleUpAbove, downBelow: s.scaleDownBelow }
        : { type: 'target', perReplica: s.targetPerReplica },
    activation: s.activationThreshold,
    up: stepOf(s.up),
    down: stepOf(s.down),
  };
}

/** Endpoint overrides: store name, store engine (`nats`, `redis`), `prometheus` or `http` → URL. */
export type Endpoints = Readonly<Record<string, string>>;

/** The in-cluster address of a store's port: `scheme://name.namespace.svc.cluster.local:port`. */
function storeUrl(store: Component, scheme: string, portName: string): string {
  const port = exposedPorts(store).find((p) => p.name === portName)?.port;
  return `${scheme}://${store.name}.${store.namespace}.svc.cluster.local:${port ?? ''}`;
}

/** The override when there is one (a full URL), else the in-cluster address. */
const override = (url: string, endpoint: string | undefined): string => endpoint ?? url;

/**
 * The source of a pool's depth. Throws an Error naming the pool when the queue's store is not a
 * nats or redis Store (validation reports this first).
 */
export function sourceOf(pool: AgentPool, ws: Workspace, endpoints: Endpoints = {}): Source {
  const q = pool.spec.queue;
  if (!q) throw new Error(`pool ${pool.name} has no queue`);
  if (q.prometheus)
    return {
      kind: 'prometheus',
      url: override(q.prometheus.url, endpoints.prometheus),
      query: q.prometheus.query,
    };
  if (q.http)
    return {
      kind: 'http-json',
      url: override(q.http.url, endpoints.http),
      path: q.http.path,
    };
  const store = ws.components.find((c) => c.name === q.store);
  if (store?.kind !== 'Store' || store.spec.engine === 'surrealdb')
    throw new Error(
      `pool ${pool.name}: queue.store "${q.store ?? ''}" is not a nats or redis Store`,
    );
  const endpoint = endpoints[store.name] ?? endpoints[store.spec.engine];
  if (store.spec.engine === 'nats')
    return {
      kind: 'nats',
      url: override(storeUrl(store, 'nats', 'client'), endpoint),
      stream: q.stream ?? '',
      consumer: q.consumer ?? '',
    };
  return {
    kind: 'redis',
    url: override(storeUrl(store, 'redis', 'redis'), endpoint),
    database: q.databaseIndex,
    ...(q.listName !== undefined
      ? { list: q.listName }
      : { stream: q.stream ?? '', group: q.group ?? '' }),
  };
}

/** Parses `--endpoint name=url` flags; throws on a malformed one. */
export function parseEndpoints(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0 || eq === flag.length - 1)
      throw new Error(
        `--endpoint "${flag}": expected name=url, such as nats=nats://127.0.0.1:4222`,
      );
    out[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return out;
}
