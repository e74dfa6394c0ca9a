/**
 * Reading queue depths and metrics. `readDepth(source, {signal, timeoutMs})` answers
 * `{value}` or `{unknown: true, reason}` and never throws; a `SourceReader` does the same while
 * keeping connections open between reads (the autoscaler polls every 2 s).
 *
 * Adding a source kind: a file with its `SourceAdapter`, its type in types.ts, a line in `adapters`.
 */
import { createConnectionCache } from './connections.ts';
import { reasonOf } from './errors.ts';
import { httpJsonAdapter } from './http-json.ts';
import { natsAdapter } from './nats.ts';
import { prometheusAdapter } from './prometheus.ts';
import { redisAdapter } from './redis.ts';
import type { ConnectionCache, Depth, ReadOptions, Source, SourceAdapter } from './types.ts';

export type * from './types.ts';
export { isKnown } from './types.ts';
export { SourceError } from './errors.ts';

/** Every source kind, one line each. */
export const adapters: { [K in Source['kind']]: SourceAdapter<Extract<Source, { kind: K }>> } = {
  nats: natsAdapter,
  redis: redisAdapter,
  prometheus: prometheusAdapter,
  'http-json': httpJsonAdapter,
};

export const DEFAULT_TIMEOUT_MS = 2_000;

const adapterOf = (source: Source) => adapters[source.kind] as SourceAdapter;

/** A short, secret-free description of the source (`nats VAPORA_TASKS/developer`). */
export function describeSource(source: Source): string {
  return adapterOf(source).describe(source);
}

export interface SourceReader {
  readDepth(source: Source, options?: ReadOptions): Promise<Depth>;
  /** Closes every open connection. */
  close(): Promise<void>;
}

/** A reader that keeps one connection per server between reads. */
export function createSourceReader(): SourceReader {
  const connections = createConnectionCache();
  return {
    readDepth: (source, options) => readWith(connections, source, options),
    close: () => connections.closeAll(),
  };
}

/** One read with its own connection (opened and closed here). Never throws. */
export async function readDepth(source: Source, options: ReadOptions = {}): Promise<Depth> {
  const connections = createConnectionCache();
  try {
    return await readWith(connections, source, options);
  } finally {
    await connections.closeAll();
  }
}

async function readWith(
  connections: ConnectionCache,
  source: Source,
  options: ReadOptions = {},
): Promise<Depth> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const adapter = adapterOf(source);
  const unknown = (why: string): Depth => ({
    unknown: true,
    reason: `${adapter.describe(source)}: ${why}`,
  });
  if (signal.aborted) return unknown(options.signal?.aborted ? 'read aborted' : 'timed out');
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const value = await Promise.race([
      adapter.read(source, { signal, timeoutMs, connections }),
      aborted,
    ]);
    if (!Number.isFinite(value) || value < 0) return unknown(`read ${value}, not a depth`);
    return { value };
  } catch (error) {
    if (signal.aborted)
      return unknown(
        options.signal?.aborted && !timeout.aborted
          ? 'read aborted'
          : `timed out after ${timeoutMs} ms`,
      );
    return unknown(reasonOf(error));
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
