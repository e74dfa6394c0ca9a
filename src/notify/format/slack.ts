/**
 * A notification as a Slack message with Block Kit blocks (incoming webhooks and chat.postMessage
 * take the same body). `text` is the fallback for notifications and screen readers. Limits kept:
 * header 150, section text 3000, 10 section fields of 2000, 50 blocks.
 */
import type { Notification } from '../types.ts';
import { fenceSafe, statusWord, tail, truncate } from './text.ts';

type Text = { type: 'mrkdwn' | 'plain_text'; text: string };
export type SlackBlock =
  | { type: 'header'; text: Text }
  | { type: 'section'; text?: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] }
  | { type: 'divider' };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const emoji = {
  critical: ':red_circle:',
  warning: ':warning:',
  info: ':information_source:',
  resolved: ':white_check_mark:',
} as const;

/** Slack's mrkdwn needs &, < and > escaped; everything else is literal. */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function toSlack(n: Notification): SlackMessage {
  const icon = n.status === 'resolved' ? emoji.resolved : emoji[n.severity];
  const heading = `${statusWord[n.status]}: ${n.title}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(heading, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(slackEscape(n.text), 3000) } },
  ];
  const fields = (n.fields ?? []).slice(0, 10).map((f) => ({
    type: 'mrkdwn' as const,
    text: truncate(`*${slackEscape(f.label)}*\n${slackEscape(f.value || '-')}`, 2000),
  }));
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  if (n.excerpt)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `\`\`\`${tail(slackEscape(fenceSafe(n.excerpt)), 2900)}\`\`\``,
      },
    });
  if (n.command)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*Proposed command*\n\`\`\`${slackEscape(fenceSafe(n.command))}\`\`\``,
          3000,
        ),
      },
    });
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: truncate(`${icon} ${slackEscape(n.source)} · ${n.at}`, 3000) },
    ],
  });
  return { text: truncate(`${icon} ${heading}`, 3000), blocks };
}
