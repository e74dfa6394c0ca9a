/**
 * A local HTTP server that answers like Discord (webhook execute, bot "create message") and Slack
 * (incoming webhook), plus a generic JSON webhook, for tests: it validates bodies against the
 * platforms' limits, checks the bot token, records every request, and can be told to fail
 * (5xx outages, 429 with Retry-After, its own per-route rate limit as Discord applies one).
 *
 * ```ts
 * const chat = await startFakeChat();
 * t.after(() => chat.close());
 * chat.outage({ status: 500, forMs: 2000 });      // then
 * chat.script({ status: 429, retryAfterSeconds: 1 });
 * const posted = chat.messages('discord-webhook');
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Platform = 'discord-webhook' | 'discord-bot' | 'slack' | 'webhook';

export interface RecordedRequest {
  at: number;
  platform: Platform | 'unknown';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The status the fake answered. */
  status: number;
}

export interface ScriptedAnswer {
  status: number;
  /** For 429 (and 503): the Retry-After, in seconds (fractions in Discord's JSON body). */
  retryAfterSeconds?: number;
  body?: string;
  /** How many requests get this answer. @default 1 */
  times?: number;
}

export interface FakeChatOptions {
  /** Discord-like rate limit per route: at most `limit` requests per `windowMs`, then 429. */
  rateLimit?: { limit: number; windowMs: number };
  /** Delay before answering, to model latency. @default 0 */
  latencyMs?: number;
}

export interface FakeChat {
  url: string;
  discordWebhookUrl: string;
  discordApiBase: string;
  discordChannel: string;
  botToken: string;
  slackUrl: string;
  webhookUrl: string;
  requests: RecordedRequest[];
  /** Requests the fake accepted (2xx), in arrival order, optionally of one platform. */
  messages(platform?: Platform): RecordedRequest[];
  /** The next answers, before normal behaviour resumes. */
  script(...answers: ScriptedAnswer[]): void;
  /** Answer `status` (with an optional Retry-After) to every request for `forMs`. */
  outage(opts: { status: number; forMs: number; retryAfterSeconds?: number }): void;
  /** Resolves once `count` messages were accepted (of `platform` if given), or rejects at the deadline. */
  waitForMessages(
    count: number,
    opts?: { platform?: Platform; timeoutMs?: number },
  ): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

const botToken = 'fake-bot-token.Xy9.secret';
const channel = '1180000000000000001';
const webhookPath = '/api/webhooks/1180000000000000002/fake-webhook-token';
const slackPath = '/services/T0000FAKE/B0000FAKE/fakeSlackSecret0000';

export async function startFakeChat(options: FakeChatOptions = {}): Promise<FakeChat> {
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedAnswer[] = [];
  let outage: { status: number; until: number; retryAfterSeconds?: number } | undefined;
  const windows = new Map<string, number[]>();
  const waiters = new Set<() => void>();

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const platform = platformOf(path);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // kept as text; validation answers 400
    }
    const answer = decide(req, path, platform, body, raw);
    requests.push({
      at: Date.now(),
      platform,
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
      status: answer.status,
    });
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    for (const w of waiters) w();
  }

  function decide(
    req: IncomingMessage,
    path: string,
    platform: Platform | 'unknown',
    body: unknown,
    raw: string,
  ): Answer {
    if (req.method !== 'POST') return json(405, { message: '405: Method Not Allowed', code: 0 });
    if (platform === 'unknown')
      return text(
        404,
        platform === 'unknown' && path.startsWith('/services/') ? 'no_service' : 'not found',
      );
    if (outage && Date.now() < outage.until)
      return failure(platform, outage.status, outage.retryAfterSeconds);
    const next = scripted[0];
    if (next) {
      next.times = (next.times ?? 1) - 1;
      if (next.times <= 0) scripted.shift();
      if (next.body !== undefined)
        return {
          status: next.status,
          headers: retryHeaders(next.retryAfterSeconds),
          body: next.body,
        };
      return failure(platform, next.status, next.retryAfterSeconds);
    }
    if (options.rateLimit) {
      const now = Date.now();
      const hits = (windows.get(path) ?? []).filter((t) => t > now - options.rateLimit!.windowMs);
      if (hits.length >= options.rateLimit.limit) {
        const wait = ((hits[0] ?? now) + options.rateLimit.windowMs - now) / 1000;
        return failure(platform, 429, Math.max(0.001, wait));
      }
      hits.push(now);
      windows.set(path, hits);
    }
    if (platform === 'slack') return slackAnswer(body, raw);
    if (platform === 'webhook')
      return typeof body === 'object' && body !== null
        ? text(200, 'ok')
        : text(400, 'expected JSON');
    if (platform === 'discord-bot') {
      if (req.headers.authorization !== `Bot ${botToken}`)
        return json(401, { message: '401: Unauthorized', code: 0 });
      if (!path.endsWith(`/channels/${channel}/messages`))
        return json(404, { message: 'Unknown Channel', code: 10003 });
    }
    return discordAnswer(body);
  }

  const base = await new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });

  const messages = (platform?: Platform) =>
    requests.filter(
      (r) => r.status >= 200 && r.status < 300 && (!platform || r.platform === platform),
    );

  return {
    url: base,
    discordWebhookUrl: `${base}${webhookPath}`,
    discordApiBase: `${base}/api/v10`,
    discordChannel: channel,
    botToken,
    slackUrl: `${base}${slackPath}`,
    webhookUrl: `${base}/hook`,
    requests,
    messages,
    script: (...answers) => scripted.push(...answers.map((a) => ({ ...a }))),
    outage: (o) => {
      outage = { status: o.status, until: Date.now() + o.forMs };
      if (o.retryAfterSeconds !== undefined) outage.retryAfterSeconds = o.retryAfterSeconds;
    },
    waitForMessages: (count, opts = {}) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const got = messages(opts.platform);
          if (got.length < count) return;
          cleanup();
          resolve(got);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `fake chat: ${messages(opts.platform).length}/${count} messages before the deadline`,
            ),
          );
        }, opts.timeoutMs ?? 10_000);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(value),
  };
}
function text(status: number, body: string, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'text/plain', ...headers }, body };
}
function retryHeaders(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { 'retry-after': String(Math.ceil(seconds)) };
}

function platformOf(path: string): Platform | 'unknown' {
  if (path === webhookPath) return 'discord-webhook';
  if (/^\/api\/v10\/channels\/[^/]+\/messages$/.test(path)) return 'discord-bot';
  if (path === slackPath) return 'slack';
  if (path === '/hook') return 'webhook';
  return 'unknown';
}

/** A failure as each platform words it (Discord: JSON with retry_after; Slack: text). */
function failure(
  platform: Platform | 'unknown',
  status: number,
  retryAfterSeconds?: number,
): Answer {
  const headers = retryHeaders(retryAfterSeconds);
  if (platform === 'discord-webhook' || platform === 'discord-bot') {
    if (status === 429)
      return json(
        429,
        {
          message: 'You are being rate limited.',
          retry_after: retryAfterSeconds ?? 1,
          global: false,
        },
        {
          ...headers,
          'x-ratelimit-scope': 'user',
        },
      );
    return json(status, { message: `${status}: Server Error`, code: 0 }, headers);
  }
  if (status === 429) return text(429, 'rate_limited', headers);
  return text(status, status >= 500 ? 'internal_error' : 'invalid_payload', headers);
}

function discordAnswer(body: unknown): Answer {
  const invalid = (message: string) =>
    json(400, { code: 50035, message: 'Invalid Form Body', errors: { detail: message } });
  if (typeof body !== 'object' || body === null)
    return json(400, { code: 50109, message: 'The request body contains invalid JSON.' });
  const b = body as { content?: unknown; embeds?: unknown[] };
  const embeds = Array.isArray(b.embeds) ? b.embeds : [];
  if (!b.content && embeds.length === 0)
    return json(400, { code: 50006, message: 'Cannot send an empty message' });
  if (typeof b.content === 'string' && b.content.length > 2000)
    return invalid('content longer than 2000');
  if (embeds.length > 10) return invalid('more than 10 embeds');
  for (const e of embeds as {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
    footer?: { text: string };
  }[]) {
    if ((e.title ?? '').length > 256) return invalid('embed title longer than 256');
    if ((e.description ?? '').length > 4096) return invalid('embed description longer than 4096');
    const fields = e.fields ?? [];
    if (fields.length > 25) return invalid('more than 25 fields');
    if (fields.some((f) => !f.name || !f.value || f.name.length > 256 || f.value.length > 1024))
      return invalid('field name/value empty or too long');
    const total =
      (e.title ?? '').length +
      (e.description ?? '').length +
      (e.footer?.text ?? '').length +
      fields.reduce((s, f) => s + f.name.length + f.value.length, 0);
    if (total > 6000) return invalid('embed longer than 6000 in total');
  }
  return json(200, {
    id: String(Date.now()),
    type: 0,
    channel_id: channel,
    content: b.content ?? '',
    embeds,
  });
}

function slackAnswer(body: unknown, raw: string): Answer {
  if (typeof body !== 'object' || body === null)
    return text(400, raw ? 'invalid_payload' : 'no_text');
  const b = body as {
    text?: unknown;
    blocks?: { type?: string; text?: { text?: string }; fields?: { text: string }[] }[];
  };
  if (!b.text && !b.blocks) return text(400, 'no_text');
  const blocks = b.blocks ?? [];
  if (blocks.length > 50) return text(400, 'invalid_blocks');
  for (const block of blocks) {
    if (block.type === 'header' && (block.text?.text ?? '').length > 150)
      return text(400, 'invalid_blocks');
    if (block.type === 'section' && (block.text?.text ?? '').length > 3000)
      return text(400, 'invalid_blocks');
    if ((block.fields ?? []).length > 10 || (block.fields ?? []).some((f) => f.text.length > 2000))
      return text(400, 'invalid_blocks');
  }
  return text(200, 'ok');
}
