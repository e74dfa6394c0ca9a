/** A notification for a generic JSON webhook: the neutral shape itself, versioned. */
import type { Notification } from '../types.ts';

export interface WebhookPayload extends Notification {
  schema: 'berth.dev/notification/v1';
}

export function toWebhook(n: Notification): WebhookPayload {
  return { schema: 'berth.dev/notification/v1', ...n, fields: n.fields ?? [] };
}
