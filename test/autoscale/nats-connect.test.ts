// A NATS read that times out while the client is still connecting must not leave a socket behind:
// @nats-io/nats-core 3.x rejects on its own connect timeout but lets a pending TCP connect finish
// and stay open, untracked. That leak kept `berth autoscale run` alive after SIGTERM (issue 9
// bench). Real nats-server; the reads are given 1 ms, far less than a connect takes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createSourceReader } from '../../src/sources/index.ts';
import { startNats } from '../support/servers.ts';

/** Open sockets of this process to `port`. */
const socketsTo = (port: number): number =>
  (process as unknown as { _getActiveHandles(): { remotePort?: number }[] })
    ._getActiveHandles()
    .filter((h) => h.remotePort === port).length;

test('nats reads that time out while connecting leave no socket once the reader is closed', async (t) => {
  const nats = await startNats(t);
  const port = Number(new URL(nats.url).port);
  const admin = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(admin);
  await jsm.streams.add({ name: 'TASKS', subjects: ['tasks.>'] });
  await jsm.consumers.add('TASKS', { durable_name: 'developer', ack_policy: AckPolicy.Explicit });
  await admin.close();
  await sleep(100);
  assert.equal(socketsTo(port), 0, 'the admin connection is closed');

  const source = { kind: 'nats', url: nats.url, stream: 'TASKS', consumer: 'developer' } as const;
  for (let round = 0; round < 10; round++) {
    const reader = createSourceReader();
    const first = await reader.readDepth(source, { timeoutMs: 1 });
    assert.ok('unknown' in first, `a 1 ms read is unknown, got ${JSON.stringify(first)}`);
    assert.match(first.reason, /timed out after 1 ms/);
    await reader.close();
  }
  // What was still connecting when its reader closed is closed as soon as it connects.
  for (let i = 0; i < 50 && socketsTo(port) > 0; i++) await sleep(100);
  assert.equal(socketsTo(port), 0, 'no socket to nats-server is left open');

  // A reader that is given time still reads, on one connection.
  const reader = createSourceReader();
  const depth = await reader.readDepth(source, { timeoutMs: 5_000 });
  assert.deepEqual(depth, { value: 0 });
  assert.equal(socketsTo(port), 1);
  await reader.close();
  for (let i = 0; i < 20 && socketsTo(port) > 0; i++) await sleep(50);
  assert.equal(socketsTo(port), 0);
});
