/**
 * A notification as a Discord message with one embed (webhook execute and bot "create message"
 * take the same body). Stays inside Discord's limits: title 256, description 4096, 25 fields of
 * 1024, footer 2048, 6000 characters per embed in all.
 */
import type { Notification } from '../types.ts';
import { fenceSafe, statusWord, tail, truncate } from './text.ts';

export interface DiscordEmbed {
  title: string;
  description: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
  footer: { text: string };
  timestamp: string;
}

export interface DiscordMessage {
  content: string;
  embeds: DiscordEmbed[];
  /** No @everyone or role pings from text that came out of a cluster. */
  allowed_mentions: { parse: never[] };
}

export const discordColors = {
  critical: 0xe74c3c,
  warning: 0xf1c40f,
  info: 0x3498db,
  resolved: 0x2ecc71,
} as const;

const limits = { title: 256, description: 4096, fieldValue: 1024, fields: 25, total: 6000 };

export function toDiscord(n: Notification): DiscordMessage {
  const color = n.status === 'resolved' ? discordColors.resolved : discordColors[n.severity];
  const title = truncate(`${statusWord[n.status]}: ${n.title}`, limits.title);
  const footer = { text: truncate(n.source, 256) };
  let remaining = limits.total - title.length - footer.text.length;
  const description = describe(n, Math.min(limits.description, Math.floor(remaining / 2)));
  remaining -= description.length;
  const wanted = (n.fields ?? []).slice(0, limits.fields - (n.command ? 1 : 0)).map((f) => ({
    name: truncate(f.label, 256),
    value: f.value || '-',
  }));
  if (n.command)
    wanted.push({
      name: 'Proposed command',
      value: `\`\`\`sh\n${truncate(fenceSafe(n.command), limits.fieldValue - 12)}\n\`\`\``,
    });
  const fields: DiscordEmbed['fields'] = [];
  for (const f of wanted) {
    const room = Math.min(limits.fieldValue, remaining - f.name.length);
    if (room < 16) break;
    const value = truncate(f.value, room);
    fields.push({ name: f.name, value, inline: false });
    remaining -= f.name.length + value.length;
  }
  return {
    content: '',
    embeds: [{ title, description, color, fields, footer, timestamp: n.at }],
    allowed_mentions: { parse: [] },
  };
}

/** The text, then the excerpt's tail in a code block, within `max` characters. */
function describe(n: Notification, max: number): string {
  const text = truncate(n.text, max);
  if (!n.excerpt) return text;
  const budget = max - text.length - 10;
  if (budget < 40) return text;
  return `${text}\n\`\`\`\n${tail(fenceSafe(n.excerpt), budget)}\n\`\`\``;
}
