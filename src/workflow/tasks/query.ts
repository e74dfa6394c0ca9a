import { Format, int, map, obj, optional, str, type Infer } from '../../spec/schema/dsl.ts';
import type { Source } from '../../sources/types.ts';
import { need } from './need.ts';
import { defineTask, TaskFailedError } from './types.ts';

const params = obj(
  {
    source: str({
      description: 'Where the number is read.',
      enum: ['nats', 'redis', 'prometheus', 'http-json', 'replicas'] as const,
    }),
    url: optional(
      str({ description: 'Server or endpoint URL (nats://, redis://, http://).' }),
      'required except for replicas',
    ),
    component: optional(
      str({ description: 'Component whose replicas are read (replicas).', format: Format.name }),
      'required for replicas',
    ),
    stream: optional(str({ description: 'JetStream stream (nats) or Redis stream.' }), 'none'),
    consumer: optional(str({ description: 'JetStream durable consumer (nats).' }), 'none'),
    list: optional(str({ description: 'Redis list (LLEN).' }), 'none'),
    group: optional(str({ description: 'Redis stream consumer group.' }), 'none'),
    database: optional(int({ description: 'Redis database.', minimum: 0 }), '0'),
    query: optional(str({ description: 'PromQL instant query (prometheus).' }), 'none'),
    path: optional(str({ description: 'JSON path such as $.queue.depth (http-json).' }), 'none'),
    headers: map(str({ description: 'Value.' }), {
      description: 'HTTP headers (http-json).',
      default: {},
    }),
    timeout: str({ description: 'Deadline of the read.', format: Format.duration, default: '5s' }),
  },
  { description: 'query params.' },
);
type Params = Infer<typeof params>;

export const queryTask = defineTask<Params>({
  id: 'query',
  summary:
    'Reads one number: JetStream consumer pending, Redis list length, Prometheus query, HTTP JSON path.',
  docs: "Seed `query` (`SELECT queue_depth ...`) maps here, reading the queue itself with the autoscaler's sources (src/sources). A source that cannot be read fails the step with the reason; it never answers 0. Outputs: `value` (bind it with `outputs: [queue_depth]`).",
  params,
  outputs: ['value'],
  idempotent: true,
  defaultTimeout: '30s',
  async run(p, ctx) {
    if (p.source === 'replicas') {
      if (p.component === undefined)
        throw new TaskFailedError('query: source replicas needs component');
      const value = await need(ctx, 'releases', 'query').replicas({ component: p.component });
      return { outputs: { value }, message: `${p.component}: ${value} replicas` };
    }
    const queues = need(ctx, 'queues', 'query');
    const source = sourceOf(p);
    const ms = Number(/^(\d+)s$/.exec(p.timeout)?.[1] ?? 5) * 1000;
    const depth = await queues.readDepth(source, {
      signal: ctx.signal,
      timeoutMs: Math.min(ms, ctx.timeLeftMs()),
    });
    if (!('value' in depth)) throw new TaskFailedError(`query: ${depth.reason}`);
    return { outputs: { value: depth.value }, message: `${p.source}: ${depth.value}` };
  },
});

function req(p: Params, key: 'stream' | 'consumer' | 'list' | 'query' | 'path'): string {
  const v = p[key];
  if (v === undefined) throw new TaskFailedError(`query: source ${p.source} needs ${key}`);
  return v;
}

function sourceOf(p: Params): Source {
  const url = p.url;
  if (url === undefined) throw new TaskFailedError(`query: source ${p.source} needs url`);
  switch (p.source) {
    case 'replicas':
      throw new TaskFailedError('query: replicas is not a queue source');
    case 'nats':
      return { kind: 'nats', url, stream: req(p, 'stream'), consumer: req(p, 'consumer') };
    case 'redis':
      return {
        kind: 'redis',
        url,
        ...(p.database !== undefined ? { database: p.database } : {}),
        ...(p.list !== undefined ? { list: p.list } : {}),
        ...(p.stream !== undefined ? { stream: p.stream } : {}),
        ...(p.group !== undefined ? { group: p.group } : {}),
      };
    case 'prometheus':
      return { kind: 'prometheus', url, query: req(p, 'query') };
    case 'http-json':
      return { kind: 'http-json', url, path: req(p, 'path'), headers: p.headers };
  }
}
