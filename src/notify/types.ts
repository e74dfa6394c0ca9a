/**
 * What a notifier sends: one platform-neutral message. The watchdog, the workflows' `notify` task
 * and the in-cluster service build these; `format/` turns them into each platform's native shape
 * (Discord embeds, Slack blocks, plain JSON).
 */

/** How bad it is; sets the colour and the emoji. */
export const Severity = { info: 'info', warning: 'warning', critical: 'critical' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** Where in its life the subject is. */
export const MessageStatus = {
  /** A new problem (or one still there after the re-notify interval). */
  firing: 'firing',
  /** The problem went away. */
  resolved: 'resolved',
  /** Remediation failed or the budget ran out: a human must act. */
  escalation: 'escalation',
  /** A report or a workflow result: no problem state. */
  info: 'info',
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/** One labelled line: object, reason, action, result... */
export interface MessageField {
  label: string;
  value: string;
}

export interface Notification {
  /**
   * Idempotency key: the outbox accepts a given id once, so a caller that re-sends after a
   * crash cannot post twice. Build it from the incident fingerprint and the event
   * (`<fingerprint>:firing:1`).
   */
  id: string;
  /** Groups the messages about one subject (an incident fingerprint, a workflow run). */
  thread?: string;
  status: MessageStatus;
  severity: Severity;
  /** One line: `CrashLoopBackOff: Deployment bots/clovis`. */
  title: string;
  /** A short paragraph: what happened, what was done. */
  text: string;
  fields?: MessageField[];
  /** Verbatim text such as a log tail: shown as a code block, never interpreted. */
  excerpt?: string;
  /** A command for a human to run (what berth may not do itself). */
  command?: string;
  /** Who speaks: `berth watchdog`, `berth workflow deploy`. */
  source: string;
  /** ISO 8601 time of the event. */
  at: string;
}
