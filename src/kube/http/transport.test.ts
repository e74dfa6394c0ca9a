// The retry policy with an injected clock: back-off grows, is jittered, capped, honours
// Retry-After, and never sleeps past the caller's deadline.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { retryAfterMs, Transport, type Clock } from './transport.ts';

test('Retry-After: seconds or an HTTP date', () => {
  assert.equal(retryAfterMs('3'), 3000);
  assert.equal(
    retryAfterMs('Wed, 02 Dec 2026 12:00:10 GMT', Date.UTC(2026, 11, 2, 12, 0, 0)),
    10_000,
  );
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(undefined), undefined);
});

test('back-off doubles from the base, with jitter, up to the cap; Retry-After wins when longer', async (t) => {
  let answers = 0;
  const server = http.createServer((_req, res) => {
    answers++;
    res.statusCode = 503;
    if (answers === 4) res.setHeader('Retry-After', '2');
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const sleeps: number[] = [];
  let now = 0;
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
  const transport = new Transport({
    server: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    tls: {},
    headers: () => Promise.resolve({}),
    retry: { attempts: 6, baseMs: 100, capMs: 1000 },
    clock,
  });
  t.after(() => transport.close());
  const res = await transport.send({ method: 'GET', path: '/x', idempotent: true });
  assert.equal(res.status, 503, 'the last answer is returned after the attempts');
  assert.equal(answers, 6);
  // 0.75 of min(cap, base * 2^n): 75, 150, 300, then Retry-After 2 s capped at 1 s, then 600.
  assert.deepEqual(sleeps, [75, 150, 300, 1000, 750]);
});

test('no sleep past the deadline: the last answer is returned instead', async (t) => {
  const server = http.createServer((_req, res) => {
    res.statusCode = 429;
    res.setHeader('Retry-After', '60');
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const transport = new Transport({
    server: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    tls: {},
    headers: () => Promise.resolve({}),
  });
  t.after(() => transport.close());
  const started = Date.now();
  const res = await transport.send({
    method: 'POST',
    path: '/x',
    idempotent: false,
    deadline: Date.now() + 2000,
  });
  assert.equal(res.status, 429);
  assert.ok(Date.now() - started < 1000, 'did not wait 60 s, nor 2 s');
});
