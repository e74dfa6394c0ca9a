/**
 * An informer with the shape of @kubernetes/client-node's: `on('add'|'update'|'delete'|'error')`,
 * `start`, `stop`, over the port (ADR 0062). It lists the collection, then watches from the
 * list's resourceVersion, keeping a cache; re-lists when the version expired (410 Gone, events
 * for what changed meanwhile); re-watches when the server ends a watch; reconnects forever with
 * capped exponential back-off after failures, reporting each on 'error'. Bookmarks advance the
 * version. Clock and sleep are injected.
 */
import type { KubeObject } from '../model/object.ts';
import type { CollectionRef, KubeApi } from './api.ts';
import { GoneError } from './errors.ts';
import { systemClock } from './http/transport.ts';

export type InformerEvent = 'add' | 'update' | 'delete';
type ObjectHandler = (obj: KubeObject) => void;
type ErrorHandler = (error: unknown) => void;

export interface InformerOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side length of one watch. @default 300 */
  watchTimeoutSeconds?: number;
  /** Bound of each list call (each page). @default 30_000 */
  listTimeoutMs?: number;
  /**
   * Items per list page: a big collection is read in pages rather than one answer held whole
   * in memory. @default 500
   */
  pageSize?: number;
  /**
   * Applied to every object before it is cached and handed out (listed or watched), e.g. to drop
   * `metadata.managedFields` the caller never reads. @default none
   */
  transform?: (obj: KubeObject) => KubeObject;
  /** Back-off after failures: base and cap. @default { baseMs: 200, capMs: 30_000 } */
  backoff?: { baseMs: number; capMs: number };
  /** @default the system clock */
  clock?: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
}

export class Informer {
  readonly collection: CollectionRef;
  private readonly api: KubeApi;
  private readonly options: InformerOptions;
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers = new Map<string, Set<ObjectHandler | ErrorHandler>>();
  private readonly abort = new AbortController();
  private resourceVersion = '';
  private running: Promise<void> | undefined;
  /** The failure of the last attempt, cleared once the watch is back. */
  lastError: unknown;

  constructor(api: KubeApi, collection: CollectionRef, options: InformerOptions = {}) {
    this.api = api;
    this.collection = collection;
    this.options = options;
  }

  on(event: InformerEvent, handler: ObjectHandler): void;
  on(event: 'error', handler: ErrorHandler): void;
  on(event: InformerEvent | 'error', handler: ObjectHandler | ErrorHandler): void {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler);
    this.handlers.set(event, set);
  }

  off(event: InformerEvent | 'error', handler: ObjectHandler | ErrorHandler): void {
    this.handlers.get(event)?.delete(handler);
  }

  /**
   * Lists (the cache is filled, 'add' fired for each object, when this resolves), then watches
   * in the background. Rejects when the first list fails.
   */
  async start(): Promise<void> {
    await this.relist();
    this.running = this.loop();
  }

  /** Stops watching; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  list(): KubeObject[] {
    return [...this.cache.values()];
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    return this.cache.get(`${namespace ?? ''}/${name}`);
  }

  private get clock(): NonNullable<InformerOptions['clock']> {
    return this.options.clock ?? systemClock;
  }

  private emit(event: InformerEvent, obj: KubeObject): void;
  private emit(event: 'error', error: unknown): void;
  private emit(event: string, arg: unknown): void {
    for (const h of this.handlers.get(event) ?? []) (h as (a: unknown) => void)(arg);
  }

  private shaped(obj: KubeObject): KubeObject {
    return this.options.transform ? this.options.transform(obj) : obj;
  }

  private selectors(): { labelSelector?: string; fieldSelector?: string } {
    const { labelSelector, fieldSelector } = this.options;
    return {
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    };
  }

  /** Lists and reconciles the cache with what the list says, firing events for differences. */
  private async relist(): Promise<void> {
    const items: KubeObject[] = [];
    let resourceVersion = '';
    let next: string | undefined;
    do {
      const page = await this.api.list(this.collection, {
        ...this.selectors(),
        limit: this.options.pageSize ?? 500,
        ...(next ? { continue: next } : {}),
        signal: this.abort.signal,
        deadline: this.clock.now() + (this.options.listTimeoutMs ?? 30_000),
      });
      for (const item of page.items) items.push(this.shaped(item));
      resourceVersion = page.resourceVersion;
      next = page.continue;
    } while (next);
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, item);
      if (!old) this.emit('add', item);
      else if (old.metadata.resourceVersion !== item.metadata.resourceVersion)
        this.emit('update', item);
    }
    for (const [key, old] of [...this.cache])
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', old);
      }
    this.resourceVersion = resourceVersion;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let needList = false;
    while (!this.abort.signal.aborted) {
      try {
        if (needList) await this.relist();
        needList = false;
        await this.watchOnce(() => {
          failures = 0;
          this.lastError = undefined;
        });
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (error instanceof GoneError) {
          needList = true;
          continue;
        }
        failures++;
        this.lastError = error;
        this.emit('error', error);
        const { baseMs, capMs } = this.options.backoff ?? { baseMs: 200, capMs: 30_000 };
        await this.clock.sleep(Math.min(capMs, baseMs * 2 ** (failures - 1)), this.abort.signal);
      }
    }
  }

  /** One watch, until the server ends it; `connected` runs at the first event or end. */
  private async watchOnce(connected: () => void): Promise<void> {
    const events = this.api.watch(this.collection, {
      ...this.selectors(),
      resourceVersion: this.resourceVersion,
      allowBookmarks: true,
      timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
      signal: this.abort.signal,
    });
    for await (const event of events) {
      connected();
      const rv = event.object.metadata.resourceVersion;
      if (typeof rv === 'string' && rv) this.resourceVersion = rv;
      if (event.type === 'BOOKMARK') continue;
      const obj = this.shaped(event.object);
      const key = keyOf(obj);
      if (event.type === 'DELETED') {
        this.cache.delete(key);
        this.emit('delete', obj);
      } else {
        const had = this.cache.has(key);
        this.cache.set(key, obj);
        this.emit(had ? 'update' : 'add', obj);
      }
    }
    connected();
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/**
 * A transform for informers whose readers never look at who manages which field: managedFields
 * are often the biggest part of an object (about half the watchdog's heap at 5,000 pods).
 */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
