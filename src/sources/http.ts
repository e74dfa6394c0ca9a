/** A GET that must answer 2xx with JSON, within the read's deadline. */
import { SourceError } from './errors.ts';

export async function fetchJson(
  url: URL | string,
  init: { signal: AbortSignal; headers?: Record<string, string> },
): Promise<unknown> {
  const res = await fetch(url, {
    signal: init.signal,
    headers: { accept: 'application/json', ...init.headers },
  });
  const text = await res.text();
  if (!res.ok) throw new SourceError(`HTTP ${res.status} ${res.statusText}`.trim());
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SourceError(`the answer is not JSON (${text.slice(0, 60)})`);
  }
}
