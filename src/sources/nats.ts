/**
 * NATS JetStream: a durable consumer's backlog is `num_pending` (not yet delivered) plus
 * `num_ack_pending` (delivered, not acknowledged). It is read with the JetStream API
 * (`$JS.API.CONSUMER.INFO`), which in a cluster only the consumer's RAFT leader answers, never
 * from a server's monitoring endpoint, whose numbers on a non-leader lag behind (ADR 0086).
 * The client loads with the first NATS read: a process without a NATS source never loads it
 * (ADR 0155).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { SourceError } from './errors.ts';
import type { NatsSource, ReadContext, SourceAdapter } from './types.ts';

export const natsAdapter: SourceAdapter<NatsSource> = {
  kind: 'nats',
  describe: (s) => `nats ${s.stream}/${s.consumer}`,
  async read(s, ctx: ReadContext) {
    const key = `nats ${s.url}`;
    const nc = await ctx.connections.get<NatsConnection>(
      key,
      async () =>
        (await import('@nats-io/transport-node')).connect({
          servers: s.url.split(','),
          timeout: ctx.timeoutMs,
          reconnect: false,
          name: 'berth-sources',
        }),
      (conn) => conn.close(),
    );
    if (nc.isClosed()) {
      await ctx.connections.drop(key);
      throw new SourceError(`connection to ${s.url} is closed`);
    }
    try {
      const { jetstreamManager } = await import('@nats-io/jetstream');
      const jsm = await jetstreamManager(nc, { timeout: ctx.timeoutMs, checkAPI: false });
      const info = await jsm.consumers.info(s.stream, s.consumer);
      if (info.cluster && !info.cluster.leader)
        throw new SourceError(
          `consumer ${s.stream}/${s.consumer} has no leader (JetStream cluster without quorum)`,
        );
      return info.num_pending + info.num_ack_pending;
    } catch (error) {
      if (nc.isClosed()) await ctx.connections.drop(key);
      throw error;
    }
  },
};
