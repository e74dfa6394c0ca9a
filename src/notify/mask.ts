/** Secrets never leave in a message: every text of a notification goes through the masker. */
import { maskSecrets } from '../secrets/index.ts';
import type { Notification } from './types.ts';

export function maskNotification(
  n: Notification,
  mask: ((text: string) => string) | undefined,
): Notification {
  const m = mask ?? defaultMask;
  const out: Notification = { ...n, title: m(n.title), text: m(n.text) };
  if (n.fields) out.fields = n.fields.map((f) => ({ label: m(f.label), value: m(f.value) }));
  if (n.excerpt !== undefined) out.excerpt = m(n.excerpt);
  if (n.command !== undefined) out.command = m(n.command);
  return out;
}

/** The shared secret table (src/secrets): tokens, keys, URL passwords, high-entropy strings. */
function defaultMask(text: string): string {
  return maskSecrets(text);
}
