/**
 * The autoscaler inside `berth serve`: the controller runs on every replica (informers warm,
 * depth read, decisions made, so the dashboard works anywhere) and writes only through the fenced
 * port while the service's elector says it leads (ADR 0088, 0104). Its scalings are kept in
 * ConfigMap `berth-service-autoscaler` (last decision and recent events per pool); a new leader
 * restores them, so cooldowns and rate limits hold across a change of leader (ADR 0105).
 */
import { FieldManager, operationBounds, type KubeApi } from '../../kube/api.ts';
import type { Clock, Elector } from '../../kube/leader.ts';
import { createSourceReader } from '../../sources/index.ts';
import type { Workspace } from '../../spec/workspace.ts';
import type { Endpoints } from '../../autoscale/pools.ts';
import type { ScaleEvent } from '../../autoscale/types.ts';
import { AutoscaleController, type DecisionRecord } from '../../autoscale/adapters/controller.ts';
import { AutoscaleMetrics } from '../../autoscale/adapters/metrics.ts';
import { targetsOf } from '../../autoscale/adapters/run.ts';

export const autoscalerConfigMap = 'berth-service-autoscaler';
const key = 'decisions.json';
const keepEvents = 20;

export interface PoolRecord {
  events: ScaleEvent[];
  last?: { at: number; replicas: number; code: string; reason: string };
}
export type AutoscalerRecords = Record<string, PoolRecord>;

export interface AutoscalerPartOptions {
  kube: KubeApi;
  fenced: KubeApi;
  ws: Workspace;
  endpoints?: Endpoints;
  elector: Elector;
  clock: Clock;
  /** Namespace of the decisions ConfigMap. */
  namespace: string;
  log: (line: string) => void;
}

export class ServiceAutoscaler {
  readonly controller: AutoscaleController;
  readonly metrics = new AutoscaleMetrics({ processMetrics: false });
  private readonly reader = createSourceReader();
  private records: AutoscalerRecords = {};
  private saving: Promise<unknown> = Promise.resolve();
  private synced = false;

  constructor(private readonly o: AutoscalerPartOptions) {
    this.controller = new AutoscaleController({
      api: o.fenced,
      pools: targetsOf(o.ws, o.endpoints ?? {}),
      reader: this.reader,
      elector: o.elector,
      clock: o.clock,
      log: o.log,
      metrics: this.metrics,
      onScaled: (pool, event, record) => this.remember(pool, event, record),
    });
  }

  get pools(): string[] {
    return this.controller.poolNames();
  }

  async start(): Promise<void> {
    if (this.pools.length === 0) {
      this.synced = true;
      return;
    }
    await this.controller.start();
    this.synced = true;
  }

  isSynced(): boolean {
    return this.synced;
  }

  /** On becoming leader: the previous leader's scalings, from the cluster. */
  async lead(): Promise<void> {
    if (this.pools.length === 0) return;
    // Unreadable (RBAC, API down): scale without them rather than never (logged); the warm
    // readings still hold the stabilization windows.
    this.records = await this.load().catch((error: unknown) => {
      this.o.log(`autoscaler: previous scalings not restored: ${(error as Error).message}`);
      return {};
    });
    for (const [pool, r] of Object.entries(this.records))
      this.controller.restoreEvents(pool, r.events);
  }

  /** The last acted decision per pool, as kept in the cluster. */
  lastDecisions(): AutoscalerRecords {
    return this.records;
  }

  async stop(): Promise<void> {
    await this.controller.stop();
    await this.saving;
    await this.reader.close();
  }

  private remember(pool: string, event: ScaleEvent, d: DecisionRecord): void {
    const before = this.records[pool]?.events ?? [];
    this.records = {
      ...this.records,
      [pool]: {
        events: [...before, event].slice(-keepEvents),
        last: { at: d.at, replicas: d.replicas, code: d.code, reason: d.reason },
      },
    };
    const snapshot = this.records;
    this.saving = this.saving
      .then(() => this.save(snapshot))
      .catch((error: unknown) =>
        this.o.log(`autoscaler: decisions not kept in the cluster: ${(error as Error).message}`),
      );
  }

  private async load(): Promise<AutoscalerRecords> {
    const cm = await this.o.kube.get(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: this.o.namespace,
        name: autoscalerConfigMap,
      },
      operationBounds(10_000),
    );
    const text = (cm as { data?: Record<string, string> } | undefined)?.data?.[key];
    if (!text) return {};
    try {
      return JSON.parse(text) as AutoscalerRecords;
    } catch {
      this.o.log(`autoscaler: ConfigMap ${autoscalerConfigMap} is not JSON; starting empty`);
      return {};
    }
  }

  private async save(records: AutoscalerRecords): Promise<void> {
    await this.o.fenced.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: autoscalerConfigMap,
          namespace: this.o.namespace,
          labels: { 'app.kubernetes.io/managed-by': 'berth-autoscaler' },
        },
        data: { [key]: JSON.stringify(records) },
      },
      { fieldManager: FieldManager.autoscaler, force: true, ...operationBounds(10_000) },
    );
  }
}
