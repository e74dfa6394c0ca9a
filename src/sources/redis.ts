/**
 * Redis: a list's length (LLEN), or a stream consumer group's backlog: `pending` (delivered, not
 * acknowledged) plus `lag` (not yet delivered), from XINFO GROUPS (Redis 7+). The client loads
 * with the first Redis read: a process without a Redis source never loads it (ADR 0155).
 */
import type { createClient } from 'redis';
import { SourceError } from './errors.ts';
import type { ReadContext, RedisSource, SourceAdapter } from './types.ts';

type Client = ReturnType<typeof createClient>;

export const redisAdapter: SourceAdapter<RedisSource> = {
  kind: 'redis',
  describe: (s) =>
    s.list !== undefined
      ? `redis list ${s.list}`
      : `redis stream ${s.stream ?? '?'} group ${s.group ?? '?'}`,
  async read(s, ctx: ReadContext) {
    const database = s.database ?? 0;
    const key = `redis ${s.url} ${database}`;
    const client = await ctx.connections.get<Client>(
      key,
      async () => {
        const { createClient } = await import('redis');
        const c = createClient({
          url: s.url,
          database,
          socket: { connectTimeout: ctx.timeoutMs, reconnectStrategy: false },
        });
        // Errors surface on the command that fails; the event must have a listener.
        c.on('error', () => undefined);
        await c.connect();
        return c;
      },
      async (c) => {
        if (c.isOpen) c.destroy();
        await Promise.resolve();
      },
    );
    if (!client.isReady) {
      await ctx.connections.drop(key);
      throw new SourceError(`connection to redis ${database} is not ready`);
    }
    try {
      if (s.list !== undefined) return await client.lLen(s.list);
      if (s.stream === undefined || s.group === undefined)
        throw new SourceError('a redis source needs list, or stream and group');
      const groups = await client.xInfoGroups(s.stream);
      const group = groups.find((g) => String(g.name) === s.group);
      if (!group) throw new SourceError(`stream ${s.stream} has no consumer group ${s.group}`);
      const lag = group.lag as unknown;
      if (typeof lag !== 'number')
        throw new SourceError(
          `stream ${s.stream} group ${s.group}: Redis cannot tell the lag (entries were deleted)`,
        );
      return Number(group.pending) + lag;
    } catch (error) {
      if (!client.isReady) await ctx.connections.drop(key);
      throw error;
    }
  },
};
