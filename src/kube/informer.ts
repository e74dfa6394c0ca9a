/**
 * A small informer: lists a collection, then watches it from the list's resourceVersion and
 * keeps an up-to-date cache, calling `onChange` after every change. Re-lists when the watch
 * expires (410 Gone) and re-watches when the server closes the stream.
 */
import type { KubeClient } from './client.ts';
import type { KubeObject } from '../model/object.ts';

export interface InformerTarget {
  apiVersion: string;
  kind: string;
  /** Watch one namespace; cluster-wide when absent. */
  namespace?: string;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number };
}

/** Server-side timeout of one watch request; the informer re-watches after it. */
const watchTimeoutSeconds = 300;

export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly abort = new AbortController();
  private resourceVersion = '';
  private stopped = false;
  /** The last error of the watch loop, if it gave up. */
  error: Error | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly target: InformerTarget,
    private readonly onChange: () => void,
  ) {}

  /** Lists the collection (resolves once the cache is filled), then watches in the background. */
  async start(): Promise<void> {
    await this.relist();
    void this.loop();
  }

  items(): KubeObject[] {
    return [...this.cache.values()];
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    return this.cache.get(`${namespace ?? ''}/${name}`);
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private async relist(): Promise<void> {
    const { apiVersion, kind, namespace } = this.target;
    const { items, resourceVersion } = await this.client.list(apiVersion, kind, namespace);
    this.cache.clear();
    for (const item of items) this.cache.set(keyOf(item), item);
    this.resourceVersion = resourceVersion;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const gone = await this.watchOnce();
        if (gone) {
          await this.relist();
          this.onChange();
        }
        failures = 0;
      } catch (error) {
        if (this.stopped) return;
        failures++;
        if (failures > 5) {
          this.error = error instanceof Error ? error : new Error(String(error));
          this.onChange();
          return;
        }
        await delay(Math.min(200 * 2 ** failures, 3000), this.abort.signal);
      }
    }
  }

  /** One watch request; true when the resourceVersion expired and a re-list is needed. */
  private async watchOnce(): Promise<boolean> {
    const { apiVersion, kind, namespace } = this.target;
    const base = await this.client.collectionPath(apiVersion, kind, namespace);
    const query = new URLSearchParams({
      watch: '1',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(watchTimeoutSeconds),
      resourceVersion: this.resourceVersion,
    });
    const res = await this.client.transport.stream({
      method: 'GET',
      path: `${base}?${query.toString()}`,
      signal: this.abort.signal,
    });
    if (res.statusCode === 410) {
      res.resume();
      return true;
    }
    if ((res.statusCode ?? 0) >= 300) {
      res.resume();
      throw new Error(`watch ${kind}: HTTP ${res.statusCode}`);
    }
    let buffer = '';
    for await (const chunk of res) {
      buffer += (chunk as Buffer).toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (line && this.handle(JSON.parse(line) as WatchEvent)) return true;
      }
    }
    return false;
  }

  /** Applies one event; true when it says the resourceVersion is too old. */
  private handle(event: WatchEvent): boolean {
    const obj = event.object;
    if (event.type === 'ERROR') return obj.code === 410;
    const rv = obj.metadata?.resourceVersion;
    if (typeof rv === 'string') this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return false;
    const item = { ...obj, apiVersion: this.target.apiVersion, kind: this.target.kind };
    if (event.type === 'DELETED') this.cache.delete(keyOf(item));
    else this.cache.set(keyOf(item), item);
    this.onChange();
    return false;
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
