/**
 * The service's metrics, one prom-client registry served at `/metrics` (ADR 0106). The engines are
 * not rewritten: these counters are fed from their results and callbacks (the pass result, the
 * actuator, the notifier's events, the explainer's tokens, the elector's changes); the
 * autoscaler's own metrics (`berth_autoscaler_*`, decisions included) are merged in.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export class ServiceMetrics {
  private readonly own = new Registry();
  /** What `/metrics` serves: this class's metrics plus the merged ones. */
  registry: Registry = this.own;

  readonly detections = new Counter({
    name: 'berth_watchdog_detections_total',
    help: 'Findings of the leader’s passes, by detector.',
    labelNames: ['detector'],
    registers: [this.own],
  });
  readonly incidents = new Counter({
    name: 'berth_watchdog_incidents_total',
    help: 'Incidents opened or re-notified, by detector and decision.',
    labelNames: ['detector', 'decision'],
    registers: [this.own],
  });
  readonly actions = new Counter({
    name: 'berth_watchdog_actions_total',
    help: 'Remediations by action and result (verified, failed, error).',
    labelNames: ['action', 'result'],
    registers: [this.own],
  });
  readonly notifications = new Counter({
    name: 'berth_notifications_total',
    help: 'Delivery attempts by target and result (delivered, retry, rejected).',
    labelNames: ['target', 'result'],
    registers: [this.own],
  });
  readonly llmTokens = new Counter({
    name: 'berth_llm_tokens_total',
    help: 'LLM tokens spent (prompt + answer), by result (llm, fallback).',
    labelNames: ['result'],
    registers: [this.own],
  });
  readonly llmExplanations = new Counter({
    name: 'berth_llm_explanations_total',
    help: 'Explanations asked, by result (llm, fallback).',
    labelNames: ['result'],
    registers: [this.own],
  });
  readonly leader = new Gauge({
    name: 'berth_service_leader',
    help: '1 while this replica holds the leader lease and acts.',
    registers: [this.own],
  });
  readonly leaderChanges = new Counter({
    name: 'berth_service_leader_changes_total',
    help: 'Times this replica became leader or standby.',
    labelNames: ['to'],
    registers: [this.own],
  });
  readonly fencedWrites = new Counter({
    name: 'berth_service_fenced_writes_total',
    help: 'Writes refused because this replica did not hold a fresh lease.',
    registers: [this.own],
  });
  readonly ready = new Gauge({
    name: 'berth_service_ready',
    help: '1 once the informers have synced.',
    registers: [this.own],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.own });
  }

  /** Serves `others` (e.g. the autoscaler's registry, without process metrics) too. */
  merge(...others: Registry[]): void {
    this.registry = Registry.merge([this.own, ...others]);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
