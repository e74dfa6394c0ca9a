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

/**
 * The client's own connect timeout. Not the read's: when the client's timer fires while the TCP
 * connect is still pending, it rejects but leaves the socket to connect and stay open, untracked
 * (@nats-io/nats-core 3.x `dial`), which leaked a socket per timed-out attempt and kept
 * `berth autoscale run` from exiting. A read is bounded by its own deadline (index.ts) and the
 * connection, once made, is in the cache and closed with it.
 */
export const NATS_CONNECT_TIMEOUT_MS = 20_000;

let modules:
  | Promise<[typeof import('@nats-io/transport-node'), typeof import('@nats-io/jetstream')]>
  | undefined;
/** Both client modules, loaded once with the first read. */
const natsModules = () =>
  (modules ??= Promise.all([import('@nats-io/transport-node'), import('@nats-io/jetstream')]));

export const natsAdapter: SourceAdapter<NatsSource> = {
  kind: 'nats',
  describe: (s) => `nats ${s.stream}/${s.consumer}`,
  async read(s, ctx: ReadContext) {
    const key = `nats ${s.url}`;
    const nc = await ctx.connections.get<NatsConnection>(
      key,
      async () =>
        (await natsModules())[0].connect({
          servers: s.url.split(','),
          timeout: NATS_CONNECT_TIMEOUT_MS,
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
      const { jetstreamManager } = (await natsModules())[1];
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
