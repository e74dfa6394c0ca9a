/** The autoscaler's Prometheus metrics (prom-client, its own registry). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export class AutoscaleMetrics {
  readonly registry = new Registry();
  readonly depth = new Gauge({
    name: 'berth_autoscaler_queue_depth',
    help: 'Last queue depth read per pool (absent while unknown).',
    labelNames: ['pool'],
    registers: [this.registry],
  });
  readonly depthKnown = new Gauge({
    name: 'berth_autoscaler_queue_depth_known',
    help: '1 when the last read of the pool depth succeeded, 0 when it is unknown.',
    labelNames: ['pool'],
    registers: [this.registry],
  });
  readonly desired = new Gauge({
    name: 'berth_autoscaler_desired_replicas',
    help: 'Replicas the last decision wanted.',
    labelNames: ['pool'],
    registers: [this.registry],
  });
  readonly actual = new Gauge({
    name: 'berth_autoscaler_actual_replicas',
    help: "The Deployment's spec.replicas as last seen.",
    labelNames: ['pool'],
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'berth_autoscaler_decisions_total',
    help: 'Decisions by pool and reason code.',
    labelNames: ['pool', 'reason'],
    registers: [this.registry],
  });
  readonly sourceErrors = new Counter({
    name: 'berth_autoscaler_source_errors_total',
    help: 'Failed depth reads by pool and source kind.',
    labelNames: ['pool', 'source'],
    registers: [this.registry],
  });
  readonly scaleWrites = new Counter({
    name: 'berth_autoscaler_scale_writes_total',
    help: '/scale writes by pool and direction.',
    labelNames: ['pool', 'direction'],
    registers: [this.registry],
  });
  readonly writeErrors = new Counter({
    name: 'berth_autoscaler_write_errors_total',
    help: 'Failed /scale or pod annotation writes by pool.',
    labelNames: ['pool'],
    registers: [this.registry],
  });
  readonly apiRequests = new Counter({
    name: 'berth_autoscaler_api_requests_total',
    help: 'Kubernetes API calls by verb (a watch counts once when it opens).',
    labelNames: ['verb'],
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'berth_autoscaler_leader',
    help: '1 while this replica holds the leader lease.',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
