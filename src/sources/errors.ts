/** Why a source read failed; its message is the `unknown` reason. */
export class SourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** A short message for any thrown value, with credentials removed from URLs. */
export function reasonOf(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message || error.name
      : typeof error === 'string'
        ? error
        : 'unknown error';
  return redactUrls(text);
}

/** `scheme://user:pass@host` → `scheme://***@host`. */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1***@');
}
