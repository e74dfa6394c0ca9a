/** The connection cache sources share between reads (one connection per server). */
import type { ConnectionCache } from './types.ts';

interface Entry {
  conn: Promise<unknown>;
  close: (conn: unknown) => Promise<void>;
}

/** Longest `closeAll` waits for connections still being made. */
export const CLOSE_WAIT_MS = 2_000;

export function createConnectionCache(): ConnectionCache {
  const entries = new Map<string, Entry>();
  const closeEntry = async (entry: Entry) => {
    const conn = await entry.conn.catch(() => undefined);
    if (conn !== undefined) await entry.close(conn).catch(() => undefined);
  };
  return {
    get<T>(key: string, open: () => Promise<T>, close: (conn: T) => Promise<void>): Promise<T> {
      const existing = entries.get(key);
      if (existing) return existing.conn as Promise<T>;
      const conn = open();
      entries.set(key, { conn, close: close as (c: unknown) => Promise<void> });
      // A failed open is forgotten at once, so the next read tries again.
      conn.catch(() => {
        if (entries.get(key)?.conn === conn) entries.delete(key);
      });
      return conn;
    },
    async drop(key) {
      const entry = entries.get(key);
      if (!entry) return;
      entries.delete(key);
      await closeEntry(entry);
    },
    async closeAll() {
      const all = [...entries.values()];
      entries.clear();
      // A connection still being made is closed when it is made (bounded by its client's own
      // connect timeout); the caller waits for that at most CLOSE_WAIT_MS.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(all.map(closeEntry)),
        new Promise<void>((done) => {
          timer = setTimeout(done, CLOSE_WAIT_MS);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
