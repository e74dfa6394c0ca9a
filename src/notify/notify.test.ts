import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toDiscord } from './format/discord.ts';
import { slackEscape, toSlack } from './format/slack.ts';
import { backoffMs, dueHeads, emptyOutbox, enqueue, nextDueAt, settle } from './outbox/state.ts';
import { describeTarget, parseTarget, targetId } from './targets.ts';
import { classify, retryAfter } from './transport.ts';
import type { Notification } from './types.ts';

const base: Notification = {
  id: 'fp1:firing:1',
  thread: 'fp1',
  status: 'firing',
  severity: 'critical',
  title: 'CrashLoopBackOff: Deployment bots/clovis',
  text: 'pod clovis-7c9f-x2 restarts',
  fields: [{ label: 'Object', value: 'Deployment bots/clovis' }],
  excerpt: 'line 1\nline 2 ``` end',
  command: 'kubectl -n bots rollout restart deployment/clovis',
  source: 'berth watchdog',
  at: '2026-12-02T11:00:00.000Z',
};

describe('formats', () => {
  test('Discord: one embed, colour by severity, excerpt fenced, command as a field, no pings', () => {
    const m = toDiscord(base);
    const e = m.embeds[0]!;
    assert.equal(e.title, 'Problem: CrashLoopBackOff: Deployment bots/clovis');
    assert.equal(e.color, 0xe74c3c);
    assert.match(e.description, /```\nline 1\nline 2 ''' end\n```/);
    assert.equal(e.fields.at(-1)?.name, 'Proposed command');
    assert.deepEqual(m.allowed_mentions, { parse: [] });
    assert.equal(toDiscord({ ...base, status: 'resolved' }).embeds[0]!.color, 0x2ecc71);
  });

  test('Discord: stays inside the limits with huge inputs', () => {
    const huge = 'x'.repeat(20_000);
    const fields = Array.from({ length: 40 }, (_, i) => ({ label: `f${i}`, value: huge }));
    const e = toDiscord({ ...base, title: huge, text: huge, excerpt: huge, fields }).embeds[0]!;
    assert.ok(e.title.length <= 256);
    assert.ok(e.description.length <= 4096);
    assert.ok(e.fields.length <= 25);
    assert.ok(e.fields.every((f) => f.value.length <= 1024));
    const total =
      e.title.length +
      e.description.length +
      e.footer.text.length +
      e.fields.reduce((s, f) => s + f.name.length + f.value.length, 0);
    assert.ok(total <= 6000, `total ${total}`);
  });

  test('Slack: header, section, fields, excerpt, command and context; escaped', () => {
    const m = toSlack({ ...base, text: 'a <b> & c' });
    assert.deepEqual(
      m.blocks.map((b) => b.type),
      ['header', 'section', 'section', 'section', 'section', 'context'],
    );
    assert.match(m.text, /^:red_circle: Problem: /);
    assert.equal(slackEscape('<@U1> & >'), '&lt;@U1&gt; &amp; &gt;');
    const section = m.blocks[1] as { text: { text: string } };
    assert.equal(section.text.text, 'a &lt;b&gt; &amp; c');
  });
});

describe('targets', () => {
  test('parses --notify values; ids and labels carry no secret', () => {
    const env = { DISCORD_BOT_TOKEN: 'tok-secret' };
    const d = parseTarget('discord=https://discord.com/api/webhooks/1/SECRET', env);
    assert.equal(d.type, 'discord-webhook');
    assert.ok(!targetId(d).includes('SECRET'));
    assert.equal(describeTarget(d), 'discord-webhook (discord.com)');
    const bot = parseTarget('discord-bot=123', env);
    assert.deepEqual(bot, { type: 'discord-bot', token: 'tok-secret', channel: '123' });
    assert.ok(!targetId(bot).includes('tok-secret'));
    assert.equal(parseTarget('slack=https://hooks.slack.com/services/T/B/X', env).type, 'slack');
    assert.equal(parseTarget('webhook=http://127.0.0.1:9/x', env).type, 'webhook');
  });

  test('bad values are usage errors that do not echo the URL path', () => {
    for (const bad of ['discord', 'teams=https://x/y', 'slack=not a url', 'webhook=ftp://h/p']) {
      assert.throws(
        () => parseTarget(bad, {}),
        (e: Error) => e.name === 'UsageError' && !e.message.includes('/p'),
      );
    }
    assert.throws(() => parseTarget('discord-bot=1', {}), /DISCORD_BOT_TOKEN/);
  });
});

describe('transport classification', () => {
  const h = (v: Record<string, string> = {}) => new Headers(v);
  const cases: [string, number, Record<string, string>, string, string, number | undefined][] = [
    ['2xx delivered', 204, {}, '', 'delivered', undefined],
    [
      'Discord 429 uses retry_after from the body',
      429,
      { 'retry-after': '2' },
      '{"retry_after":1.25}',
      'retry',
      1250,
    ],
    ['Slack 429 uses the header', 429, { 'retry-after': '3' }, 'rate_limited', 'retry', 3000],
    ['429 without a wait uses back-off', 429, {}, '', 'retry', undefined],
    ['5xx retried', 503, {}, 'internal_error', 'retry', undefined],
    ['408 retried', 408, {}, '', 'retry', undefined],
    ['400 rejected', 400, {}, 'invalid_payload', 'rejected', undefined],
    ['404 rejected', 404, {}, 'no_service', 'rejected', undefined],
  ];
  for (const [name, status, headers, body, outcome, wait] of cases) {
    test(name, () => {
      const a = classify(status, h(headers), body);
      assert.equal(a.outcome, outcome);
      assert.equal(a.outcome === 'retry' ? a.retryAfterMs : undefined, wait);
    });
  }
  test('Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-12-02T11:00:00Z');
    assert.equal(retryAfter(h({ 'retry-after': 'Wed, 02 Dec 2026 11:00:05 GMT' }), '', now), 5000);
  });
});

describe('outbox state', () => {
  test('back-off doubles and is capped', () => {
    const p = { baseMs: 1000, capMs: 60_000, maxDead: 10, maxRecent: 10 };
    assert.deepEqual(
      [1, 2, 3, 4, 7, 8, 50].map((a) => backoffMs(a, p)),
      [1000, 2000, 4000, 8000, 60_000, 60_000, 60_000],
    );
  });

  test('one ordered queue per target; a failing head blocks only its own queue', () => {
    let s = emptyOutbox();
    s = enqueue(s, { ...base, id: 'a' }, ['t1', 't2'], 0).state;
    s = enqueue(s, { ...base, id: 'b' }, ['t1', 't2'], 0).state;
    assert.deepEqual(
      dueHeads(s, 0).map((e) => `${e.target}:${e.notification.id}`),
      ['t1:a', 't2:a'],
    );
    const [t1a, t2a] = dueHeads(s, 0);
    s = settle(s, t1a!.seq, { outcome: 'retry', error: 'HTTP 500' }, 0);
    s = settle(s, t2a!.seq, { outcome: 'delivered', status: 200 }, 0);
    assert.deepEqual(
      dueHeads(s, 0).map((e) => `${e.target}:${e.notification.id}`),
      ['t2:b'],
    );
    assert.equal(nextDueAt(s), 0);
    assert.deepEqual(
      dueHeads(s, 1000).map((e) => `${e.target}:${e.notification.id}`),
      ['t1:a', 't2:b'],
    );
  });

  test('Retry-After is honoured exactly, even above the back-off cap', () => {
    let s = enqueue(emptyOutbox(), base, ['t'], 0).state;
    s = settle(
      s,
      1,
      { outcome: 'retry', status: 429, retryAfterMs: 90_000, error: 'HTTP 429' },
      10,
    );
    assert.equal(s.pending[0]!.nextAttemptAt, 90_010);
  });

  test('an id is accepted once per target; rejected entries go to dead, bounded', () => {
    const p = { baseMs: 1, capMs: 1, maxDead: 2, maxRecent: 100 };
    let s = enqueue(emptyOutbox(), base, ['t'], 0, p).state;
    assert.equal(enqueue(s, base, ['t'], 0, p).added, 0);
    for (const id of ['x', 'y', 'z']) s = enqueue(s, { ...base, id }, ['t'], 0, p).state;
    for (const e of [...s.pending])
      s = settle(s, e.seq, { outcome: 'rejected', status: 400, error: 'bad' }, 5, p);
    assert.equal(s.pending.length, 0);
    assert.deepEqual(
      s.dead.map((d) => d.notification.id),
      ['y', 'z'],
    );
  });
});
