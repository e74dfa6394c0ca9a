/**
 * One delivery attempt to one target over HTTP, with a deadline. Never throws: the outcome is
 * data (`delivered`, `retry` with an optional server-given delay, or `rejected` for an answer that
 * retrying cannot fix). The outbox decides what to do with it.
 */
import { toDiscord } from './format/discord.ts';
import { toSlack } from './format/slack.ts';
import { toWebhook } from './format/webhook.ts';
import { defaultDiscordApi, type Target } from './targets.ts';
import type { Notification } from './types.ts';

export type Attempt =
  | { outcome: 'delivered'; status: number }
  | { outcome: 'retry'; status?: number; retryAfterMs?: number; error: string }
  | { outcome: 'rejected'; status: number; error: string };

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SendOptions {
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** Deadline of one attempt (connect, send, answer). @default 10000 */
  timeoutMs?: number;
}

interface HttpCall {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

const userAgent = 'DiscordBot (https://berth.dev, 0.1) berth-notify';

export function requestFor(target: Target, n: Notification): HttpCall {
  const json = { 'content-type': 'application/json', 'user-agent': userAgent };
  switch (target.type) {
    case 'discord-webhook': {
      const url = new URL(target.url);
      url.searchParams.set('wait', 'true');
      return { url: url.toString(), headers: json, body: toDiscord(n) };
    }
    case 'discord-bot':
      return {
        url: `${target.apiBase ?? defaultDiscordApi}/channels/${encodeURIComponent(target.channel)}/messages`,
        headers: { ...json, authorization: `Bot ${target.token}` },
        body: toDiscord(n),
      };
    case 'slack':
      return { url: target.url, headers: json, body: toSlack(n) };
    case 'webhook':
      return { url: target.url, headers: { ...json, ...target.headers }, body: toWebhook(n) };
  }
}

export async function send(
  target: Target,
  n: Notification,
  opts: SendOptions = {},
): Promise<Attempt> {
  const call = requestFor(target, n);
  const doFetch = opts.fetch ?? globalThis.fetch;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(call.url, {
      method: 'POST',
      headers: call.headers,
      body: JSON.stringify(call.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const what =
      name === 'TimeoutError' ? 'no answer before the deadline' : describeNetworkError(error);
    return { outcome: 'retry', error: what };
  }
  return classify(response.status, response.headers, text);
}

/** What an HTTP answer means for delivery. */
export function classify(status: number, headers: Headers, body: string): Attempt {
  if (status >= 200 && status < 300) return { outcome: 'delivered', status };
  const error = `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  if (status === 429) {
    const retryAfterMs = retryAfter(headers, body);
    return retryAfterMs === undefined
      ? { outcome: 'retry', status, error }
      : { outcome: 'retry', status, retryAfterMs, error };
  }
  if (status === 408 || status === 425 || status >= 500) {
    const retryAfterMs = retryAfter(headers, '');
    return retryAfterMs === undefined
      ? { outcome: 'retry', status, error }
      : { outcome: 'retry', status, retryAfterMs, error };
  }
  return { outcome: 'rejected', status, error };
}

/**
 * The server's wait, in ms: Discord's JSON `retry_after` (seconds, fractional) is the most
 * precise; else the `Retry-After` header in seconds or as an HTTP date.
 */
export function retryAfter(headers: Headers, body: string, now = Date.now()): number | undefined {
  if (body.startsWith('{')) {
    try {
      const parsed = JSON.parse(body) as { retry_after?: unknown };
      if (typeof parsed.retry_after === 'number' && parsed.retry_after >= 0)
        return Math.ceil(parsed.retry_after * 1000);
    } catch {
      // not JSON after all: fall through to the header
    }
  }
  const header = headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `network error ${cause.code}`;
  return error instanceof Error ? error.message : String(error);
}
