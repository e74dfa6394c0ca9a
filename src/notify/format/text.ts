/** Small text helpers the formats share: truncation that says so, and code-fence safety. */

/** Cuts `text` to `max` characters, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Keeps the last `max` characters of a log tail (the end is what matters), marked when cut. */
export function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  return `…${text.slice(text.length - max + 1)}`;
}

/** Text inside a ``` block cannot close it early. */
export function fenceSafe(text: string): string {
  return text.replaceAll('```', "'''");
}

export const statusWord = {
  firing: 'Problem',
  resolved: 'Resolved',
  escalation: 'Needs a human',
  info: 'Info',
} as const;
