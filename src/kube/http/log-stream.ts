/** Pod log requests: the query of `pods/log`, and a followed log read line by line. */
import type { IncomingMessage } from 'node:http';
import type { LogOptions } from '../api.ts';

export function logQuery(o: LogOptions, follow: boolean): URLSearchParams {
  const q = new URLSearchParams();
  if (o.container) q.set('container', o.container);
  if (o.previous) q.set('previous', 'true');
  if (o.tailLines !== undefined) q.set('tailLines', String(o.tailLines));
  if (o.sinceSeconds !== undefined) q.set('sinceSeconds', String(o.sinceSeconds));
  if (o.limitBytes !== undefined) q.set('limitBytes', String(o.limitBytes));
  if (o.timestamps) q.set('timestamps', 'true');
  if (follow) q.set('follow', 'true');
  return q;
}

/** The lines of a streamed body (without newlines), until it ends or the signal aborts. */
export async function* readLines(
  body: IncomingMessage,
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  const stop = (): void => void body.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  let buffer = '';
  try {
    for await (const chunk of body) {
      buffer += (chunk as Buffer).toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        yield buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    }
    if (buffer) yield buffer;
  } catch (error) {
    if (!signal?.aborted) throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
    body.destroy();
  }
}
