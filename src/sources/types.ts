/**
 * Queue and metric sources: where a depth (a non-negative number) is read from. Shared by the
 * autoscaler and the workflow `query` task. A read never invents a number: when the source
 * cannot be read, the answer is `unknown` with the reason, never 0.
 */

/** The result of one read. */
export type Depth = { value: number } | { unknown: true; reason: string };

export const isKnown = (d: Depth): d is { value: number } => 'value' in d;

export interface ReadOptions {
  /** Aborts the read (it then answers `unknown`). */
  signal?: AbortSignal;
  /** Deadline of the whole read, connection included. @default 2000 */
  timeoutMs?: number;
}

/** NATS JetStream: a durable consumer's `num_pending + num_ack_pending`, from its leader. */
export interface NatsSource {
  kind: 'nats';
  /** `nats://host:port` (comma-separated for several servers). */
  url: string;
  stream: string;
  consumer: string;
}

/** Redis: a list's length, or a stream consumer group's `pending + lag`. */
export interface RedisSource {
  kind: 'redis';
  /** `redis://[user:pass@]host:port`. */
  url: string;
  /** @default 0 */
  database?: number;
  /** A list (LLEN). Exactly one of list or stream. */
  list?: string;
  /** A stream; with `group`, its consumer group's pending + lag (XINFO GROUPS). */
  stream?: string;
  group?: string;
}

/** Prometheus: an instant query that returns one sample (a scalar or a one-series vector). */
export interface PrometheusSource {
  kind: 'prometheus';
  /** Base URL, such as `http://prometheus.monitoring:9090`. */
  url: string;
  query: string;
}

/** Any HTTP endpoint answering JSON: the number at `path` (such as `$.queue.depth`). */
export interface HttpJsonSource {
  kind: 'http-json';
  url: string;
  path: string;
  /** Extra request headers. @default {} */
  headers?: Record<string, string>;
}

export type Source = NatsSource | RedisSource | PrometheusSource | HttpJsonSource;
export type SourceKind = Source['kind'];

/** Connections kept between reads (one per server), so a 2 s poll does not reconnect each time. */
export interface ConnectionCache {
  /** The open connection for `key`, opened with `open` when there is none. */
  get<T>(key: string, open: () => Promise<T>, close: (conn: T) => Promise<void>): Promise<T>;
  /** Closes and forgets the connection for `key` (after an error, so the next read reconnects). */
  drop(key: string): Promise<void>;
  closeAll(): Promise<void>;
}

export interface ReadContext {
  signal: AbortSignal;
  timeoutMs: number;
  connections: ConnectionCache;
}

/** One source kind: reads a depth or throws (the error message becomes the `unknown` reason). */
export interface SourceAdapter<S extends Source = Source> {
  kind: S['kind'];
  /** A short, secret-free name of what is read (`nats VAPORA_TASKS/developer`). */
  describe(source: S): string;
  read(source: S, ctx: ReadContext): Promise<number>;
}
