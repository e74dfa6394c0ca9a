// Every source against a real server: nats-server (JetStream), redis-server, prometheus scraping a
// local exporter, and an HTTP JSON endpoint. Failures answer `unknown` with a reason, never 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AckPolicy, jetstreamManager, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createClient } from 'redis';
import { createSourceReader, readDepth, type Depth } from '../../src/sources/index.ts';
import {
  freePort,
  startHttpServer,
  startNats,
  startPrometheus,
  startRedis,
} from '../support/servers.ts';

const value = (d: Depth): number | string => ('value' in d ? d.value : `unknown: ${d.reason}`);
const show = (d: Depth): string => JSON.stringify(d);

test('nats: num_pending + num_ack_pending of a durable consumer; unknown when stopped', async (t) => {
  const nats = await startNats(t);
  const nc = await connect({ servers: nats.url });
  t.after(() => nc.close());
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'TASKS', subjects: ['tasks.>'] });
  await jsm.consumers.add('TASKS', {
    durable_name: 'developer',
    ack_policy: AckPolicy.Explicit,
    filter_subject: 'tasks.developer',
  });
  const js = jetstream(nc);
  for (let i = 0; i < 12; i++) await js.publish('tasks.developer', `task ${i}`);
  await js.publish('tasks.other', 'not for this consumer');
  const source = { kind: 'nats', url: nats.url, stream: 'TASKS', consumer: 'developer' } as const;
  assert.equal(value(await readDepth(source)), 12);

  // Three delivered and not acknowledged still count (num_ack_pending).
  const consumer = await js.consumers.get('TASKS', 'developer');
  const batch = await consumer.fetch({ max_messages: 3, expires: 1000 });
  let n = 0;
  for await (const m of batch) {
    if (++n === 1) m.ack();
    if (n === 3) break;
  }
  const reader = createSourceReader();
  t.after(() => reader.close());
  assert.equal(value(await reader.readDepth(source)), 11);

  const missing = await reader.readDepth({ ...source, consumer: 'nobody' });
  assert.ok(
    'unknown' in missing && /nats TASKS\/nobody: .*consumer not found/i.test(missing.reason),
    show(missing),
  );

  await nats.stop();
  const down = await reader.readDepth(source, { timeoutMs: 1000 });
  assert.ok('unknown' in down, 'a stopped server is unknown, not 0');
  await nats.start();
  assert.equal(value(await reader.readDepth(source, { timeoutMs: 3000 })), 11, 'reconnects');
});

test('redis: list length and stream group pending + lag; unknown when stopped', async (t) => {
  const redis = await startRedis(t);
  const client = createClient({ url: redis.url });
  await client.connect();
  t.after(() => {
    if (client.isOpen) client.destroy();
  });
  await client.rPush('jobs', ['a', 'b', 'c', 'd']);
  await client.xGroupCreate('events', 'workers', '0', { MKSTREAM: true });
  for (let i = 0; i < 5; i++) await client.xAdd('events', '*', { n: String(i) });
  // Two read by a consumer and not acknowledged: pending 2, lag 3.
  await client.xReadGroup('workers', 'w1', { key: 'events', id: '>' }, { COUNT: 2 });

  const reader = createSourceReader();
  t.after(() => reader.close());
  assert.equal(value(await reader.readDepth({ kind: 'redis', url: redis.url, list: 'jobs' })), 4);
  assert.equal(value(await reader.readDepth({ kind: 'redis', url: redis.url, list: 'none' })), 0);
  const stream = { kind: 'redis', url: redis.url, stream: 'events', group: 'workers' } as const;
  assert.equal(value(await reader.readDepth(stream)), 5);
  const noGroup = await reader.readDepth({ ...stream, group: 'other' });
  assert.ok('unknown' in noGroup && /has no consumer group other/.test(noGroup.reason));

  client.destroy();
  await redis.stop();
  const down = await reader.readDepth({ kind: 'redis', url: redis.url, list: 'jobs' });
  assert.ok('unknown' in down && down.reason.startsWith('redis list jobs: '), show(down));
});

test('prometheus: an instant query of a scraped exporter; no series is unknown', async (t) => {
  let depth = 42;
  const exporter = await startHttpServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(
      `# TYPE queue_depth gauge\nqueue_depth{queue="a"} ${depth}\nqueue_depth{queue="b"} 1\n`,
    );
  }, t);
  const prom = await startPrometheus({ targets: [`127.0.0.1:${exporter.port}`] }, t);
  const reader = createSourceReader();
  t.after(() => reader.close());
  const source = { kind: 'prometheus', url: prom.url, query: 'queue_depth{queue="a"}' } as const;
  const deadline = Date.now() + 20_000;
  let d = await reader.readDepth(source);
  while ('unknown' in d && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    d = await reader.readDepth(source);
  }
  assert.equal(value(d), 42);
  depth = 7;
  const sum = await reader.readDepth({ ...source, query: 'scalar(sum(queue_depth)) * 0 + 5' });
  assert.equal(value(sum), 5, 'a scalar answer');
  const none = await reader.readDepth({ ...source, query: 'queue_depth{queue="zzz"}' });
  assert.ok('unknown' in none && /returned 0 series/.test(none.reason), show(none));
  const two = await reader.readDepth({ ...source, query: 'queue_depth' });
  assert.ok('unknown' in two && /returned 2 series/.test(two.reason), show(two));
  const bad = await reader.readDepth({ ...source, query: 'queue_depth{' });
  assert.ok('unknown' in bad && /HTTP 400/.test(bad.reason), show(bad));
});

test('http-json: the number at a JSON path; errors and slowness are unknown', async (t) => {
  const server = await startHttpServer(async (req, res) => {
    if (req.url === '/slow') await new Promise((r) => setTimeout(r, 1500));
    if (req.url === '/broken') {
      res.statusCode = 503;
      res.end('down');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({ queues: [{ name: 'dev', depth: 9 }], auth: req.headers.authorization }),
    );
  }, t);
  const s = { kind: 'http-json', url: `${server.url}/q`, path: '$.queues[0].depth' } as const;
  assert.equal(value(await readDepth(s)), 9);
  await readDepth({ ...s, headers: { authorization: 'Bearer x' } });
  assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer x');
  const missing = await readDepth({ ...s, path: '$.queues[1].depth' });
  assert.ok('unknown' in missing && /nothing at/.test(missing.reason));
  const broken = await readDepth({ ...s, url: `${server.url}/broken` });
  assert.ok('unknown' in broken && /HTTP 503/.test(broken.reason));
  const slow = await readDepth({ ...s, url: `${server.url}/slow` }, { timeoutMs: 300 });
  assert.ok('unknown' in slow && /timed out after 300 ms/.test(slow.reason), show(slow));
  const aborted = new AbortController();
  aborted.abort();
  const a = await readDepth(s, { signal: aborted.signal });
  assert.ok('unknown' in a && /aborted/.test(a.reason));
  const port = await freePort();
  const refused = await readDepth({ ...s, url: `http://127.0.0.1:${port}/` });
  assert.ok('unknown' in refused, 'nothing listening is unknown');
  const secret = await readDepth({ ...s, url: `http://user:pw@127.0.0.1:${port}/` });
  assert.ok('unknown' in secret && !secret.reason.includes('pw'), 'credentials never in reasons');
});
