/**
 * Notifications: Discord (webhook or bot), Slack (incoming webhook) and generic JSON webhooks,
 * through a persistent, ordered, retrying outbox. Shared by the watchdog and the workflows.
 */
export * from './types.ts';
export { Notifier } from './notifier.ts';
export type { DrainResult, NotifierEvent, NotifierOptions, NotifierStatus } from './notifier.ts';
export { parseTarget, targetId, describeTarget, TargetType, defaultDiscordApi } from './targets.ts';
export type { Target } from './targets.ts';
export { FileOutboxStore, MemoryOutboxStore, parseOutbox } from './outbox/store.ts';
export type { OutboxStore } from './outbox/store.ts';
export { defaultRetryPolicy, emptyOutbox } from './outbox/state.ts';
export type { OutboxEntry, OutboxState, RetryPolicy, DeadEntry } from './outbox/state.ts';
export { send, classify, retryAfter, requestFor } from './transport.ts';
export type { Attempt, FetchLike, SendOptions } from './transport.ts';
export { toDiscord } from './format/discord.ts';
export { toSlack } from './format/slack.ts';
export { toWebhook } from './format/webhook.ts';
export { maskNotification } from './mask.ts';
