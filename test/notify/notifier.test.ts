// The notifier end to end against the local Discord/Slack/webhook fake: native formats, the bot
// token, outages, 429 with Retry-After, order, exactly-once, persistence across a restart.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  FileOutboxStore,
  MemoryOutboxStore,
  Notifier,
  parseTarget,
  type Notification,
  type Target,
} from '../../src/notify/index.ts';
import { startFakeChat, type FakeChat } from '../support/fake-chat.ts';

const fast = { baseMs: 20, capMs: 200 };

function message(i: number, extra: Partial<Notification> = {}): Notification {
  return {
    id: `incident-${i}`,
    status: 'firing',
    severity: 'warning',
    title: `problem ${i}`,
    text: `text ${i}`,
    fields: [{ label: 'Object', value: `Pod ns/p${i}` }],
    source: 'berth test',
    at: new Date(0).toISOString(),
    ...extra,
  };
}

async function chat(t: { after: (fn: () => Promise<void>) => void }): Promise<FakeChat> {
  const c = await startFakeChat();
  t.after(() => c.close());
  return c;
}

test('each platform gets its native format; the bot API gets its token', async (t) => {
  const c = await chat(t);
  const env = { DISCORD_BOT_TOKEN: c.botToken, DISCORD_API_BASE: c.discordApiBase };
  const targets = [
    parseTarget(`discord=${c.discordWebhookUrl}`, env),
    parseTarget(`discord-bot=${c.discordChannel}`, env),
    parseTarget(`slack=${c.slackUrl}`, env),
    parseTarget(`webhook=${c.webhookUrl}`, env),
  ];
  const n = await Notifier.open({ targets, retry: fast });
  assert.equal(await n.notify(message(1, { command: 'kubectl get pods' })), 4);
  const r = await n.drain({ timeoutMs: 5000 });
  assert.equal(r.pending, 0);
  assert.equal(r.dead.length, 0);
  const [hook] = c.messages('discord-webhook');
  assert.equal(
    (hook!.body as { embeds: { title: string }[] }).embeds[0]!.title,
    'Problem: problem 1',
  );
  assert.equal(c.messages('discord-bot').length, 1);
  const slack = c.messages('slack')[0]!.body as { blocks: { type: string }[] };
  assert.equal(slack.blocks[0]!.type, 'header');
  const generic = c.messages('webhook')[0]!.body as { schema: string; id: string };
  assert.deepEqual([generic.schema, generic.id], ['berth.dev/notification/v1', 'incident-1']);
});

test('500 outage, then 429 with Retry-After, then 200: each message once, in order', async (t) => {
  const c = await chat(t);
  const target: Target = { type: 'discord-webhook', url: c.discordWebhookUrl };
  const events: string[] = [];
  const n = await Notifier.open({
    targets: [target],
    retry: fast,
    onEvent: (e) => events.push(e.type),
  });
  c.outage({ status: 500, forMs: 600 });
  for (let i = 1; i <= 5; i++) await n.notify(message(i));
  n.start();
  t.after(() => n.stop());
  await new Promise((r) => setTimeout(r, 650));
  c.script({ status: 429, retryAfterSeconds: 0.3, times: 2 });
  const got = await c.waitForMessages(5, { timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(
    c.messages().map((m) => (m.body as { embeds: { title: string }[] }).embeds[0]!.title),
    [1, 2, 3, 4, 5].map((i) => `Problem: problem ${i}`),
  );
  assert.equal(got.length, 5);
  assert.ok(events.filter((e) => e === 'retry').length >= 3, events.join());
  const fails = c.requests.filter((r) => r.status === 429);
  const next = c.requests[c.requests.indexOf(fails[0]!) + 1]!;
  assert.ok(
    next.at - fails[0]!.at >= 290,
    `retried after ${next.at - fails[0]!.at} ms, before Retry-After`,
  );
});

test('the outbox survives a restart: undelivered messages go out after reopening', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-outbox-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const c = await chat(t);
  const target: Target = { type: 'slack', url: c.slackUrl };
  const store = new FileOutboxStore(join(dir, 'outbox.json'));
  c.outage({ status: 503, forMs: 60_000 });
  const first = await Notifier.open({ targets: [target], store, retry: fast });
  await first.notify(message(1));
  await first.notify(message(2));
  assert.equal((await first.drain({ timeoutMs: 200 })).pending, 2);
  await first.stop();
  const saved = await readFile(join(dir, 'outbox.json'), 'utf8');
  assert.ok(!saved.includes('fakeSlackSecret'), 'the webhook URL is not stored');
  c.outage({ status: 503, forMs: 0 });
  const second = await Notifier.open({ targets: [target], store, retry: fast });
  assert.equal(await second.notify(message(1)), 0, 'same id after restart: not queued twice');
  assert.equal((await second.drain({ timeoutMs: 5000 })).pending, 0);
  assert.deepEqual(
    c.messages('slack').map((m) => (m.body as { text: string }).text),
    [':warning: Problem: problem 1', ':warning: Problem: problem 2'],
  );
});

test('a rejected message is kept as dead and does not block the queue', async (t) => {
  const c = await chat(t);
  const n = await Notifier.open({
    targets: [
      { type: 'discord-bot', token: 'wrong', channel: c.discordChannel, apiBase: c.discordApiBase },
      { type: 'webhook', url: c.webhookUrl },
    ],
    retry: fast,
  });
  await n.notify(message(1));
  const r = await n.drain({ timeoutMs: 2000 });
  assert.equal(r.dead.length, 1);
  assert.equal(r.dead[0]!.status, 401);
  assert.equal(c.messages('webhook').length, 1);
});

test('a rate limit of the fake (5 per second) is honoured without loss', async (t) => {
  const c = await startFakeChat({ rateLimit: { limit: 5, windowMs: 1000 } });
  t.after(() => c.close());
  const n = await Notifier.open({
    targets: [{ type: 'discord-webhook', url: c.discordWebhookUrl }],
    store: new MemoryOutboxStore(),
    retry: fast,
  });
  for (let i = 1; i <= 12; i++) await n.notify(message(i));
  const r = await n.drain({ timeoutMs: 10_000 });
  assert.equal(r.pending, 0);
  const titles = c
    .messages()
    .map((m) => (m.body as { embeds: { title: string }[] }).embeds[0]!.title);
  assert.deepEqual(
    titles,
    Array.from({ length: 12 }, (_, i) => `Problem: problem ${i + 1}`),
  );
  assert.ok(c.requests.some((q) => q.status === 429));
});

test('secrets are masked before the message is stored or sent', async (t) => {
  const c = await chat(t);
  const store = new MemoryOutboxStore();
  const mask = (s: string) => s.replaceAll('hunter2', '****');
  const n = await Notifier.open({ targets: [{ type: 'webhook', url: c.webhookUrl }], store, mask });
  await n.notify(message(1, { excerpt: 'password=hunter2', text: 'token hunter2' }));
  assert.ok(!JSON.stringify(await store.load()).includes('hunter2'));
  await n.drain({ timeoutMs: 2000 });
  assert.ok(!JSON.stringify(c.requests[0]!.body).includes('hunter2'));
});

test('by default the shared secret table (src/secrets) masks tokens in logs and events', async (t) => {
  const c = await chat(t);
  const n = await Notifier.open({ targets: [{ type: 'webhook', url: c.webhookUrl }] });
  const key = 'sk-proj-' + 'Q3xT9vLmN2pR7sKw4ZyB8cDfGh1JkLmNoPqRsTuVwXyZ0a1b';
  await n.notify(
    message(1, {
      excerpt: `OPENAI_API_KEY=${key}\nstarting`,
      text: 'Bearer ' + 'xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
    }),
  );
  await n.drain({ timeoutMs: 2000 });
  const sent = JSON.stringify(c.requests[0]!.body);
  assert.ok(!sent.includes(key), sent);
  assert.ok(!sent.includes('AbCdEfGhIjKlMnOpQrStUvWx'), sent);
  assert.match(sent, /redacted/);
});
