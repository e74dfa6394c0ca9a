/**
 * The AgentPool kind: interchangeable workers that take tasks from a queue, scaled on its depth
 * by berth's autoscaler (engine `berth`) or by a rendered KEDA ScaledObject (engine `keda`). The
 * defaults are seed 004's rule: more than 10 pending → +2 replicas, fewer than 2 → −1.
 */
import { bool, Format, int, obj, optional, str } from './dsl.ts';
import { workloadFields } from './workload.ts';

const queue = obj(
  {
    store: optional(
      str({ description: 'The nats or redis Store the queue lives in.', format: Format.name }),
      'not a Store queue (then prometheus or http)',
    ),
    stream: optional(
      str({ description: 'JetStream stream (nats), or stream key (redis, with group).' }),
      'required for nats',
    ),
    consumer: optional(
      str({ description: 'JetStream durable consumer (nats).' }),
      'required for nats',
    ),
    account: str({
      description: 'NATS account (KEDA reads its monitoring endpoint).',
      default: '$G',
    }),
    listName: optional(
      str({ description: 'Redis list.' }),
      'for redis: listName, or stream and group',
    ),
    group: optional(
      str({ description: 'Redis stream consumer group (pending + lag is the depth).' }),
      'no stream group',
    ),
    databaseIndex: int({ description: 'Redis database.', minimum: 0, default: 0 }),
    prometheus: optional(
      obj(
        {
          url: str({ description: 'Prometheus base URL.', format: Format.url }),
          query: str({ description: 'Instant query returning one sample (use sum()).' }),
        },
        { description: 'A Prometheus query as the depth.' },
      ),
      'not a Prometheus query',
    ),
    http: optional(
      obj(
        {
          url: str({ description: 'URL answering JSON.', format: Format.url }),
          path: str({ description: 'JSON path of the depth, such as $.queue.depth.' }),
        },
        { description: 'An HTTP JSON endpoint as the depth.' },
      ),
      'not an HTTP endpoint',
    ),
  },
  {
    description:
      'Where the backlog is read: exactly one of store (nats consumer pending + ack pending; redis list length or stream group pending + lag), prometheus or http.',
    exactlyOne: ['store', 'prometheus', 'http'],
  },
);

const step = (dir: 'up' | 'down', d: { step: number; stabilization: number; cooldown: number }) =>
  obj(
    {
      step: int({
        description: `Replicas ${dir === 'up' ? 'added' : 'removed'} per step (or percent, see stepType).`,
        minimum: 1,
        default: d.step,
      }),
      stepType: str({
        description: 'pods, or percent of the current replicas (rounded up, at least 1).',
        enum: ['pods', 'percent'] as const,
        default: 'pods',
      }),
      stabilizationSeconds: int({
        description: `How long the ${dir === 'up' ? 'up' : 'down'} condition must hold (consecutive readings) before a step.`,
        minimum: 0,
        default: d.stabilization,
      }),
      cooldownSeconds: int({
        description:
          dir === 'up'
            ? 'Least time between two scale-ups.'
            : 'Least time after any step before a scale-down.',
        minimum: 0,
        default: d.cooldown,
      }),
      limitReplicas: optional(
        int({
          description: `Rate limit: at most this many replicas ${dir === 'up' ? 'added' : 'removed'} per limitPeriodSeconds.`,
          minimum: 1,
        }),
        'no rate limit beyond step and cooldown',
      ),
      limitPeriodSeconds: int({
        description: 'The rate limit period (also the KEDA/HPA policy period).',
        minimum: 1,
        default: 60,
      }),
    },
    { description: `Scaling ${dir}.` },
  );

const scaling = obj(
  {
    engine: optional(
      str({
        description:
          "Who scales the pool: berth's autoscaler (`berth autoscale run`, in-cluster or local), or a rendered KEDA ScaledObject.",
        enum: ['berth', 'keda'] as const,
      }),
      'platform spec.autoscaling.engine (berth)',
    ),
    rule: str({
      description:
        'threshold: above scaleUpAbove → up, below scaleDownBelow → down (seed 004). target: ceil(depth / targetPerReplica) replicas (KEDA).',
      enum: ['threshold', 'target'] as const,
      default: 'threshold',
    }),
    scaleUpAbove: int({
      description: 'threshold rule: scale up while the depth is above this.',
      minimum: 0,
      default: 10,
    }),
    scaleDownBelow: int({
      description: 'threshold rule: scale down while the depth is below this.',
      minimum: 0,
      default: 2,
    }),
    targetPerReplica: int({
      description: 'target rule: pending messages per replica (KEDA lagThreshold / listLength).',
      minimum: 1,
      default: 10,
    }),
    activationThreshold: int({
      description: 'A pool at zero replicas wakes when the depth is above this.',
      minimum: 0,
      default: 0,
    }),
    pollSeconds: int({
      description:
        'Seconds between queue reads while the pool is at rest (at its minimum, queue empty); engine berth reads an active pool (above its minimum, or with work queued) twice as often, at least every 250 ms apart (ADR 0156). KEDA pollingInterval.',
      minimum: 1,
      default: 2,
    }),
    busyToken: bool({
      description:
        "Let each agent mark its own pod `berth.dev/busy` (read by engine berth): the pod mounts a projected, pod-bound, 10-minute token at /var/run/secrets/berth.dev/busy, the pool's ServiceAccount may patch pods, and a ValidatingAdmissionPolicy admits only that annotation on the agent's own pod (ADR 0135).",
      default: false,
    }),
    up: step('up', { step: 2, stabilization: 0, cooldown: 4 }),
    down: step('down', { step: 1, stabilization: 2, cooldown: 10 }),
  },
  {
    description:
      'The scaling policy (queue pools). An unknown depth always holds the replicas (never down, never to zero).',
  },
);

export const poolSpec = obj(
  {
    image: str({ description: 'Image (pinned tag).', format: Format.image }),
    ...workloadFields,
    role: optional(
      str({ description: 'Role id the workers take (env AGENT_ROLE).' }),
      'the pool name',
    ),
    replicas: int({ description: 'Replicas when not autoscaled.', minimum: 0, default: 1 }),
    minReplicas: optional(
      int({ description: 'Lower bound when autoscaled.', minimum: 0 }),
      'replicas',
    ),
    maxReplicas: optional(
      int({ description: 'Upper bound when autoscaled.', minimum: 1 }),
      'no autoscaling',
    ),
    maxConcurrent: int({
      description: 'Tasks one worker runs at once (env MAX_CONCURRENT).',
      minimum: 1,
      default: 1,
    }),
    queue: optional(queue, 'no queue scaling'),
    scaling,
    cpuTarget: optional(
      int({
        description: 'Average CPU utilization target (HPA) when there is no queue.',
        minimum: 1,
        maximum: 100,
      }),
      'no CPU autoscaling',
    ),
  },
  { description: 'A stateless pool of interchangeable agent workers.' },
);
