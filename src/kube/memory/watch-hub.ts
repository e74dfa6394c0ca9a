/**
 * The in-memory server's watches: an event log (replayed from a resourceVersion until
 * `compact()`), the open watches, bookmarks, and the end of every watch at "server timeout".
 */
import type { KubeObject } from '../../model/object.ts';
import type { CollectionRef, WatchEvent, WatchOptions } from '../api.ts';
import { GoneError } from '../errors.ts';
import { fieldSelectorTest, labelSelectorTest } from './selectors.ts';

interface Watcher {
  groupKind: string;
  namespace: string | undefined;
  matches(obj: KubeObject): boolean;
  push(event: WatchEvent): void;
  end(): void;
}

interface Logged {
  rv: number;
  groupKind: string;
  event: WatchEvent;
}

export class WatchHub {
  private readonly log: Logged[] = [];
  private readonly watchers = new Set<Watcher>();
  private compactedRv = 0;

  emit(rv: number, groupKind: string, event: WatchEvent): void {
    this.log.push({ rv, groupKind, event });
    const ns = event.object.metadata.namespace;
    for (const w of this.watchers)
      if (
        w.groupKind === groupKind &&
        (w.namespace === undefined || w.namespace === ns) &&
        w.matches(event.object)
      )
        w.push(structuredClone(event));
  }

  compact(rv: number): void {
    this.compactedRv = rv;
    this.log.length = 0;
  }

  bookmark(rv: number): void {
    const object = {
      apiVersion: 'v1',
      kind: 'Bookmark',
      metadata: { name: '', resourceVersion: String(rv) },
    };
    for (const w of this.watchers) w.push({ type: 'BOOKMARK', object });
  }

  endAll(): void {
    for (const w of [...this.watchers]) w.end();
  }

  /**
   * Events of a collection: replayed after `options.resourceVersion` (GoneError when compacted),
   * or the current objects as ADDED when it is absent; then live ones until ended or aborted.
   */
  async *stream(
    collection: CollectionRef,
    groupKind: string,
    options: WatchOptions,
    server: { current: () => KubeObject[]; server: string },
  ): AsyncGenerator<WatchEvent> {
    const labels = labelSelectorTest(options.labelSelector);
    const fields = fieldSelectorTest(options.fieldSelector);
    const queue: WatchEvent[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    const retype = (e: WatchEvent): WatchEvent =>
      e.type === 'BOOKMARK'
        ? e
        : {
            type: e.type,
            object: { ...e.object, apiVersion: collection.apiVersion, kind: collection.kind },
          };
    const watcher: Watcher = {
      groupKind,
      namespace: collection.namespace,
      matches: (o) => labels(o) && fields(o),
      push: (e) => {
        queue.push(retype(e));
        wake?.();
      },
      end: () => {
        ended = true;
        wake?.();
      },
    };
    const from = options.resourceVersion;
    if (from && from !== '0') {
      if (Number(from) < this.compactedRv)
        throw new GoneError(
          `watch ${collection.kind}: too old resource version: ${from} (${this.compactedRv})`,
          { status: 410, server: server.server },
        );
      for (const l of this.log)
        if (
          l.rv > Number(from) &&
          l.groupKind === groupKind &&
          (collection.namespace === undefined ||
            l.event.object.metadata.namespace === collection.namespace) &&
          watcher.matches(l.event.object)
        )
          queue.push(retype(structuredClone(l.event)));
    } else for (const object of server.current()) queue.push({ type: 'ADDED', object });
    this.watchers.add(watcher);
    const onAbort = (): void => watcher.end();
    options.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (ended || options.signal?.aborted) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.watchers.delete(watcher);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}
