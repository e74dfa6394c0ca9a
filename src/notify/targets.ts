/**
 * Where notifications go. A target has a stable `id` (the outbox keeps one ordered queue per id)
 * and a `label` safe to print: webhook URLs and bot tokens are credentials, so neither the id nor
 * the label contains them.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';

export const TargetType = {
  discordWebhook: 'discord-webhook',
  discordBot: 'discord-bot',
  slack: 'slack',
  webhook: 'webhook',
} as const;
export type TargetType = (typeof TargetType)[keyof typeof TargetType];

export type Target =
  | { type: 'discord-webhook'; url: string }
  | {
      type: 'discord-bot';
      token: string;
      channel: string;
      /** @default https://discord.com/api/v10 */
      apiBase?: string;
    }
  | { type: 'slack'; url: string }
  | { type: 'webhook'; url: string; headers?: Record<string, string> };

export const defaultDiscordApi = 'https://discord.com/api/v10';

/** A stable identifier without secrets: type plus a short hash of the address. */
export function targetId(target: Target): string {
  const address =
    target.type === 'discord-bot'
      ? `${target.apiBase ?? defaultDiscordApi}|${target.channel}|${target.token}`
      : target.url;
  const hash = createHash('sha256').update(address).digest('hex').slice(0, 12);
  return `${target.type}-${hash}`;
}

/** `slack (hooks.slack.com)`, `discord-bot (channel 123)`: for logs and errors. */
export function describeTarget(target: Target): string {
  if (target.type === 'discord-bot') return `discord-bot (channel ${target.channel})`;
  return `${target.type} (${safeHost(target.url)})`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}

/**
 * Parses the CLI's `--notify` value: `discord=URL`, `slack=URL`, `webhook=URL`, or
 * `discord-bot=CHANNEL` (the token then comes from `DISCORD_BOT_TOKEN` in `env`).
 */
export function parseTarget(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): Target {
  const eq = value.indexOf('=');
  const kind = eq < 0 ? '' : value.slice(0, eq);
  const rest = eq < 0 ? '' : value.slice(eq + 1);
  const hint = 'use discord=URL, discord-bot=CHANNEL_ID, slack=URL or webhook=URL';
  if (!rest) throw new UsageError(`--notify ${JSON.stringify(redact(value))}: ${hint}`);
  if (kind === 'discord-bot') {
    const token = env.DISCORD_BOT_TOKEN;
    if (!token)
      throw new UsageError(
        '--notify discord-bot=CHANNEL needs DISCORD_BOT_TOKEN in the environment',
      );
    const apiBase = env.DISCORD_API_BASE;
    return apiBase
      ? { type: 'discord-bot', token, channel: rest, apiBase }
      : { type: 'discord-bot', token, channel: rest };
  }
  if (kind !== 'discord' && kind !== 'slack' && kind !== 'webhook')
    throw new UsageError(
      `--notify ${JSON.stringify(redact(value))}: unknown kind "${kind}"; ${hint}`,
    );
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    throw new UsageError(`--notify ${kind}=...: not a URL; ${hint}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`--notify ${kind}=...: the URL must be http(s)`);
  if (kind === 'discord') return { type: 'discord-webhook', url: rest };
  if (kind === 'slack') return { type: 'slack', url: rest };
  return { type: 'webhook', url: rest };
}

/** The kind and host of a `--notify` value, never its secret path. */
function redact(value: string): string {
  const eq = value.indexOf('=');
  return eq < 0 ? value.slice(0, 20) : `${value.slice(0, eq)}=${safeHost(value.slice(eq + 1))}`;
}
