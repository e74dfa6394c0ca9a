/** Discovery for the HTTP adapter: which resource serves a kind, cached per group-version, and paths. */
import type { ObjectRef } from '../../model/object.ts';
import type { CallOptions, CollectionRef, ResourceInfo } from '../api.ts';
import { UnknownKindError } from '../errors.ts';

export interface ServedResource extends ResourceInfo {
  /** `/apis/apps/v1` or `/api/v1`. */
  base: string;
}

export interface DiscoveryOptions {
  server: string;
  defaultNamespace: string;
  /** Reads one group-version's resource list (empty when the server does not serve it). */
  fetch: (apiVersion: string, options: CallOptions) => Promise<Map<string, ServedResource>>;
}

export class Discovery {
  private readonly cache = new Map<string, Promise<Map<string, ServedResource>>>();
  private readonly options: DiscoveryOptions;

  constructor(options: DiscoveryOptions) {
    this.options = options;
  }

  async find(
    apiVersion: string,
    kind: string,
    options: CallOptions & { refresh?: boolean },
  ): Promise<ServedResource | undefined> {
    if (options.refresh) this.cache.delete(apiVersion);
    let entry = this.cache.get(apiVersion);
    if (!entry) {
      entry = this.options.fetch(apiVersion, options);
      this.cache.set(apiVersion, entry);
      entry.catch(() => this.cache.delete(apiVersion));
    }
    return (await entry).get(kind);
  }

  /** The object's URL path (the context's namespace for a namespaced kind without one). */
  async item(ref: ObjectRef, options: CallOptions): Promise<string> {
    const r = await this.find(ref.apiVersion, ref.kind, options);
    if (!r) throw new UnknownKindError(ref, { server: this.options.server });
    const ns = r.namespaced
      ? `/namespaces/${encodeURIComponent(ref.namespace ?? this.options.defaultNamespace)}`
      : '';
    return `${r.base}${ns}/${r.name}/${encodeURIComponent(ref.name)}`;
  }

  /** A collection's path: one namespace, or cluster-wide. */
  async collection(c: CollectionRef, options: CallOptions): Promise<string> {
    const r = await this.find(c.apiVersion, c.kind, options);
    if (!r) throw new UnknownKindError({ ...c, name: '' }, { server: this.options.server });
    return r.namespaced && c.namespace
      ? `${r.base}/namespaces/${encodeURIComponent(c.namespace)}/${r.name}`
      : `${r.base}/${r.name}`;
  }
}
