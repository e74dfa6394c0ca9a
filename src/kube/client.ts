/**
 * berth's Kubernetes client: discovery, server-side apply with field manager `berth`, get,
 * list and watch, over a keep-alive transport. Errors name the object and quote the server.
 */
import type { KubeObject, ObjectRef } from '../model/object.ts';
import { refOf } from '../model/object.ts';
import {
  ClusterUnreachableError,
  errorFromStatus,
  NotFoundError,
  UnknownKindError,
  type KubeError,
} from './errors.ts';
import { HttpTransport, type HttpResponse } from './http.ts';
import { loadKubeConfig, type KubeConfigOptions, type LoadedKubeConfig } from './kubeconfig.ts';
import { BerthError, ErrorCode } from '../errors.ts';

/** The field manager berth applies with (ADR 0030). */
export const FIELD_MANAGER = 'berth';

export interface ApiResource {
  /** Plural resource name (`deployments`). */
  name: string;
  namespaced: boolean;
  /** `/apis/apps/v1` or `/api/v1`. */
  base: string;
}

export interface ApplyOptions {
  /** Take ownership of fields another manager owns (ADR 0030). @default true */
  force?: boolean;
  /** Ask the server to run admission and validation without persisting. @default false */
  dryRun?: boolean;
}

export interface ApplyResponse {
  object: KubeObject;
  warnings: string[];
}

export interface ClientOptions extends KubeConfigOptions {
  /** Parallel connections to the API server. @default 16 */
  maxSockets?: number;
}

export class KubeClient {
  readonly config: LoadedKubeConfig;
  readonly transport: HttpTransport;
  private readonly discovery = new Map<string, Promise<Map<string, ApiResource>>>();

  private constructor(config: LoadedKubeConfig, transport: HttpTransport) {
    this.config = config;
    this.transport = transport;
  }

  static async connect(options: ClientOptions = {}): Promise<KubeClient> {
    const config = loadKubeConfig(options);
    return new KubeClient(config, await HttpTransport.create(config, options.maxSockets ?? 16));
  }

  /** The namespace namespaced objects without one are applied to. */
  get defaultNamespace(): string {
    return this.config.namespace;
  }

  close(): void {
    this.transport.close();
  }

  /** Sends a request; a non-2xx answer becomes a KubeApiError naming `ref`. */
  async call(
    method: string,
    path: string,
    init: { body?: unknown; contentType?: string; ref?: ObjectRef; verb?: string } = {},
  ): Promise<{ body: unknown; warnings: string[] }> {
    const res = await this.transport.send({
      method,
      path,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.contentType ? { contentType: init.contentType } : {}),
    });
    if (res.status >= 200 && res.status < 300)
      return { body: parseJson(res), warnings: res.warnings };
    throw this.errorOf(res, init.ref, init.verb ?? method.toLowerCase());
  }

  private errorOf(res: HttpResponse, ref: ObjectRef | undefined, verb: string): KubeError {
    return errorFromStatus(res, {
      verb,
      server: this.config.server,
      context: this.config.context,
      ...(ref ? { ref } : {}),
    });
  }

  /** Finds the resource serving `kind` in `apiVersion`. Undefined when the server has none. */
  async resourceFor(
    apiVersion: string,
    kind: string,
    refresh = false,
  ): Promise<ApiResource | undefined> {
    if (refresh) this.discovery.delete(apiVersion);
    let entry = this.discovery.get(apiVersion);
    if (!entry) {
      entry = this.discoverGroupVersion(apiVersion);
      this.discovery.set(apiVersion, entry);
      entry.catch(() => this.discovery.delete(apiVersion));
    }
    return (await entry).get(kind);
  }

  private async discoverGroupVersion(apiVersion: string): Promise<Map<string, ApiResource>> {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await this.transport.send({ method: 'GET', path: base });
    const out = new Map<string, ApiResource>();
    if (res.status === 404) return out;
    if (res.status >= 300) throw this.errorOf(res, undefined, `discover ${apiVersion}`);
    const list = parseJson(res) as {
      resources?: { name: string; kind: string; namespaced: boolean }[];
    };
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue; // subresources
      out.set(r.kind, { name: r.name, namespaced: r.namespaced, base });
    }
    return out;
  }

  /** The object's URL path, resolving its resource and namespace. */
  async pathOf(ref: ObjectRef, refresh = false): Promise<string> {
    const resource = await this.resourceFor(ref.apiVersion, ref.kind, refresh);
    if (!resource) {
      throw new UnknownKindError(ref);
    }
    return itemPath(resource, ref.namespace ?? this.defaultNamespace, ref.name);
  }

  /** The collection path of a kind, in one namespace or cluster-wide. */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const resource = await this.resourceFor(apiVersion, kind);
    if (!resource)
      throw new BerthError(
        ErrorCode.cluster,
        `the cluster does not serve ${kind} in ${apiVersion}`,
      );
    return resource.namespaced && namespace
      ? `${resource.base}/namespaces/${encodeURIComponent(namespace)}/${resource.name}`
      : `${resource.base}/${resource.name}`;
  }

  /**
   * Sets the namespace a namespaced object will be applied to (the context's default when it
   * has none) and removes it from cluster-scoped objects, as kubectl does.
   */
  async placeObject(obj: KubeObject): Promise<KubeObject> {
    const resource = await this.resourceFor(obj.apiVersion, obj.kind);
    if (!resource) return obj;
    const metadata = { ...obj.metadata };
    if (resource.namespaced) metadata.namespace ??= this.defaultNamespace;
    else delete metadata.namespace;
    return { ...obj, metadata };
  }

  /** Server-side apply with field manager `berth`. */
  async apply(obj: KubeObject, options: ApplyOptions = {}): Promise<ApplyResponse> {
    const ref = refOf(obj);
    const query = new URLSearchParams({ fieldManager: FIELD_MANAGER });
    if (options.force ?? true) query.set('force', 'true');
    if (options.dryRun) query.set('dryRun', 'All');
    const path = `${await this.pathOf(ref)}?${query.toString()}`;
    const { body, warnings } = await this.call('PATCH', path, {
      body: obj,
      contentType: 'application/apply-patch+yaml',
      ref,
      verb: options.dryRun ? 'apply (server dry-run)' : 'apply',
    });
    return { object: body as KubeObject, warnings };
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return (await this.call('GET', await this.pathOf(ref), { ref, verb: 'get' }))
        .body as KubeObject;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** Lists a kind in a namespace (or cluster-wide), with the list's resourceVersion. */
  async list(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const path = await this.collectionPath(apiVersion, kind, namespace);
    const { body } = await this.call('GET', path, { verb: `list ${kind}` });
    const list = body as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
    const items = (list.items ?? []).map((i) => ({ ...i, apiVersion, kind }));
    return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  /** Deletes an object (background propagation); absent objects are fine. */
  async delete(ref: ObjectRef): Promise<void> {
    try {
      await this.call('DELETE', await this.pathOf(ref), {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
        ref,
        verb: 'delete',
      });
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
  }
}

function itemPath(resource: ApiResource, namespace: string, name: string): string {
  const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${resource.base}${ns}/${resource.name}/${encodeURIComponent(name)}`;
}

function parseJson(res: HttpResponse): unknown {
  if (res.text === '') return {};
  try {
    return JSON.parse(res.text) as unknown;
  } catch (error) {
    throw new ClusterUnreachableError(
      `the API server answered ${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`,
      { cause: error },
    );
  }
}
