/**
 * Reads a watch response: one JSON event per line. Ends when the server closes the stream, the
 * caller aborts, or nothing (not even a bookmark) arrives for `idleMs`; throws the error of an
 * ERROR event (`GoneError` for 410: the caller re-lists).
 */
import type { IncomingMessage } from 'node:http';
import type { CollectionRef, WatchEvent } from '../api.ts';
import type { KubeError } from '../errors.ts';

interface RawEvent {
  type: WatchEvent['type'] | 'ERROR';
  object: WatchEvent['object'] & { code?: number; message?: string };
}

export interface ReadWatchOptions {
  collection: CollectionRef;
  signal: AbortSignal | undefined;
  idleMs: number;
  error: (status: number, text: string) => KubeError;
}

export async function* readWatch(
  body: IncomingMessage,
  options: ReadWatchOptions,
): AsyncGenerator<WatchEvent> {
  let idle: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    body.destroy();
  };
  const touch = (): void => {
    clearTimeout(idle);
    idle = setTimeout(stop, options.idleMs);
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  touch();
  let buffer = '';
  try {
    for await (const chunk of body) {
      touch();
      buffer += (chunk as Buffer).toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (!line) continue;
        const event = JSON.parse(line) as RawEvent;
        if (event.type === 'ERROR') {
          const status = event.object.code ?? 500;
          throw options.error(status, event.object.message ?? JSON.stringify(event.object));
        }
        const { apiVersion, kind } = options.collection;
        yield {
          type: event.type,
          object: event.type === 'BOOKMARK' ? event.object : { ...event.object, apiVersion, kind },
        };
      }
    }
  } catch (error) {
    // A stream we stopped (abort, idleness) ends the watch quietly; the caller re-watches.
    if (!stopped) throw error;
  } finally {
    clearTimeout(idle);
    options.signal?.removeEventListener('abort', stop);
    body.destroy();
  }
}
