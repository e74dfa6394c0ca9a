/**
 * The HTTP adapter of the Kubernetes port: discovery, paths, and each verb as one bounded,
 * retried request (./transport.ts). Objects travel as plain JSON, untouched. Failures become
 * `KubeError`s that name the object and the server (ADR 0060, 0061).
 */
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { describeRef } from '../../model/object.ts';
import type {
  ApplyOptions,
  ApplyResult,
  CallOptions,
  CollectionRef,
  CreateBody,
  CreateOptions,
  DeleteOptions,
  KubeApi,
  ListOptions,
  ListResult,
  LogOptions,
  PatchOptions,
  ResourceInfo,
  Scale,
  ScaleOptions,
  WatchEvent,
  WatchOptions,
} from '../api.ts';
import {
  errorFromStatus,
  GoneError,
  NotFoundError,
  TimeoutError,
  UnavailableError,
} from '../errors.ts';
import type { LoadedKubeConfig } from '../kubeconfig.ts';
import { Transport, TransportError, type TransportResponse } from './transport.ts';
import { Discovery, type ServedResource } from './discovery.ts';
import { logQuery, readLines } from './log-stream.ts';
import { readWatch } from './watch-stream.ts';
import { readAll, refWithNamespace, scaleOf, warningsOf, withQuery } from './wire.ts';

const patchTypes = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

interface Call extends CallOptions {
  verb: string;
  method: string;
  path: string;
  ref?: ObjectRef;
  body?: unknown;
  contentType?: string;
  idempotent: boolean;
}

export class HttpKube implements KubeApi {
  readonly server: string;
  readonly defaultNamespace: string;
  readonly config: LoadedKubeConfig;
  private readonly transport: Transport;
  private readonly paths: Discovery;

  constructor(config: LoadedKubeConfig, transport: Transport) {
    this.config = config;
    this.transport = transport;
    this.server = transport.server.origin;
    this.defaultNamespace = config.namespace;
    this.paths = new Discovery({
      server: this.server,
      defaultNamespace: this.defaultNamespace,
      fetch: (apiVersion, options) => this.discoverGroupVersion(apiVersion, options),
    });
  }

  close(): void {
    this.transport.close();
  }

  async resource(
    apiVersion: string,
    kind: string,
    options: CallOptions & { refresh?: boolean } = {},
  ): Promise<ResourceInfo | undefined> {
    const r = await this.paths.find(apiVersion, kind, options);
    return r ? { name: r.name, namespaced: r.namespaced } : undefined;
  }

  async get(ref: ObjectRef, options: CallOptions = {}): Promise<KubeObject | undefined> {
    try {
      const res = await this.call({
        ...options,
        verb: 'get',
        method: 'GET',
        path: await this.paths.item(ref, options),
        ref,
        idempotent: true,
      });
      return JSON.parse(res.text) as KubeObject;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async list(collection: CollectionRef, options: ListOptions = {}): Promise<ListResult> {
    const query = new URLSearchParams();
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
    if (options.resourceVersion !== undefined)
      query.set('resourceVersion', options.resourceVersion);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.continue) query.set('continue', options.continue);
    const path = await this.paths.collection(collection, options);
    const res = await this.call({
      ...options,
      verb: `list ${collection.kind}`,
      method: 'GET',
      path: withQuery(path, query),
      idempotent: true,
    });
    const list = JSON.parse(res.text) as {
      items?: KubeObject[];
      metadata?: { resourceVersion?: string; continue?: string };
    };
    const items = (list.items ?? []).map((i) => ({
      ...i,
      apiVersion: collection.apiVersion,
      kind: collection.kind,
    }));
    const next = list.metadata?.continue;
    return {
      items,
      resourceVersion: list.metadata?.resourceVersion ?? '',
      ...(next ? { continue: next } : {}),
    };
  }

  async *watch(collection: CollectionRef, options: WatchOptions = {}): AsyncIterable<WatchEvent> {
    const timeoutSeconds = options.timeoutSeconds ?? 300;
    const query = new URLSearchParams({ watch: '1', timeoutSeconds: String(timeoutSeconds) });
    if (options.allowBookmarks ?? true) query.set('allowWatchBookmarks', 'true');
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
    if (options.resourceVersion) query.set('resourceVersion', options.resourceVersion);
    const path = await this.paths.collection(collection, options);
    const verb = `watch ${collection.kind}`;
    const res = await this.call(
      { ...options, verb, method: 'GET', path: withQuery(path, query), idempotent: true },
      true,
    );
    const body = res.body;
    if (!body) return;
    yield* readWatch(body, {
      collection,
      signal: options.signal,
      // The server ends a watch after timeoutSeconds; silence well past that means it is gone.
      idleMs: (timeoutSeconds + 30) * 1000,
      error: (status, text) =>
        status === 410
          ? new GoneError(`${verb}: ${text}`, { status, server: this.server })
          : errorFromStatus(
              { status, text },
              { verb, server: this.server, context: this.config.context },
            ),
    });
  }

  async apply(obj: KubeObject, options: ApplyOptions): Promise<ApplyResult> {
    const ref = refWithNamespace(obj);
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    if (options.force) query.set('force', 'true');
    if (options.dryRun) query.set('dryRun', 'All');
    const res = await this.call({
      ...options,
      verb: options.dryRun ? 'apply (server dry-run)' : 'apply',
      method: 'PATCH',
      path: withQuery(await this.paths.item(ref, options), query),
      ref,
      body: obj,
      contentType: 'application/apply-patch+yaml',
      idempotent: true,
    });
    return {
      object: JSON.parse(res.text) as KubeObject,
      created: res.status === 201,
      warnings: warningsOf(res.warnings),
    };
  }

  async patch(ref: ObjectRef, patch: unknown, options: PatchOptions): Promise<KubeObject> {
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    if (options.dryRun) query.set('dryRun', 'All');
    const sub = options.subresource ? `/${options.subresource}` : '';
    const res = await this.call({
      ...options,
      verb: `patch${sub ? ` ${options.subresource}` : ''}`,
      method: 'PATCH',
      path: withQuery((await this.paths.item(ref, options)) + sub, query),
      ref,
      body: patch,
      contentType: patchTypes[options.type],
      idempotent: options.type !== 'json',
    });
    return JSON.parse(res.text) as KubeObject;
  }

  async create(body: CreateBody, options: CreateOptions): Promise<KubeObject> {
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    if (options.dryRun) query.set('dryRun', 'All');
    const sub = options.subresourceOf;
    let path: string;
    let ref: ObjectRef | undefined;
    if (sub) {
      ref = sub.ref;
      path = `${await this.paths.item(sub.ref, options)}/${sub.subresource}`;
    } else {
      const namespace = body.metadata?.namespace ?? options.namespace ?? this.defaultNamespace;
      path = await this.paths.collection(
        { apiVersion: body.apiVersion, kind: body.kind, namespace },
        options,
      );
      if (body.metadata?.name)
        ref = { apiVersion: body.apiVersion, kind: body.kind, name: body.metadata.name, namespace };
    }
    const res = await this.call({
      ...options,
      verb: sub ? `create ${sub.subresource}` : `create ${body.kind}`,
      method: 'POST',
      path: withQuery(path, query),
      ...(ref ? { ref } : {}),
      body,
      // Reviews have no side effect; anything else could be created twice.
      idempotent: /^SelfSubject\w*Review$/.test(body.kind),
    });
    return JSON.parse(res.text) as KubeObject;
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    const body: Record<string, unknown> = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: options.propagation ?? 'Background',
    };
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.gracePeriodSeconds !== undefined)
      body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.dryRun) body.dryRun = ['All'];
    try {
      await this.call({
        ...options,
        verb: 'delete',
        method: 'DELETE',
        path: await this.paths.item(ref, options),
        ref,
        body,
        idempotent: true,
      });
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  async getScale(ref: ObjectRef, options: CallOptions = {}): Promise<Scale> {
    const res = await this.call({
      ...options,
      verb: 'get scale',
      method: 'GET',
      path: `${await this.paths.item(ref, options)}/scale`,
      ref,
      idempotent: true,
    });
    return scaleOf(res.text);
  }

  async patchScale(ref: ObjectRef, replicas: number, options: ScaleOptions): Promise<Scale> {
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    if (options.dryRun) query.set('dryRun', 'All');
    const patch: Record<string, unknown> = { spec: { replicas } };
    if (options.resourceVersion) patch.metadata = { resourceVersion: options.resourceVersion };
    const res = await this.call({
      ...options,
      verb: 'scale',
      method: 'PATCH',
      path: withQuery(`${await this.paths.item(ref, options)}/scale`, query),
      ref,
      body: patch,
      contentType: patchTypes.merge,
      idempotent: true,
    });
    return scaleOf(res.text);
  }

  async podLogs(ref: ObjectRef, options: LogOptions = {}): Promise<string> {
    const res = await this.call({
      ...options,
      verb: 'read log',
      method: 'GET',
      path: withQuery(`${await this.paths.item(ref, options)}/log`, logQuery(options, false)),
      ref,
      idempotent: true,
    });
    return res.text;
  }

  async *followLogs(ref: ObjectRef, options: LogOptions = {}): AsyncIterable<string> {
    const res = await this.call(
      {
        ...options,
        verb: 'follow log',
        method: 'GET',
        path: withQuery(`${await this.paths.item(ref, options)}/log`, logQuery(options, true)),
        ref,
        idempotent: true,
      },
      true,
    );
    if (res.body) yield* readLines(res.body, options.signal);
  }

  // ---- internals ----

  private async discoverGroupVersion(
    apiVersion: string,
    options: CallOptions,
  ): Promise<Map<string, ServedResource>> {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const out = new Map<string, ServedResource>();
    let res: TransportResponse;
    try {
      res = await this.call({
        ...options,
        verb: `discover ${apiVersion}`,
        method: 'GET',
        path: base,
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof NotFoundError) return out;
      throw error;
    }
    const list = JSON.parse(res.text) as {
      resources?: { name: string; kind: string; namespaced: boolean }[];
    };
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue; // subresources
      out.set(r.kind, { name: r.name, namespaced: r.namespaced, base });
    }
    return out;
  }

  /** One request; non-2xx answers and transport failures become KubeErrors. */
  private async call(c: Call, stream = false): Promise<TransportResponse> {
    const what = c.ref ? describeRef(c.ref) : c.verb;
    let res: TransportResponse;
    try {
      res = await this.transport.send({
        method: c.method,
        path: c.path,
        idempotent: c.idempotent,
        stream,
        ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
        ...(c.contentType ? { contentType: c.contentType } : {}),
        ...(c.signal ? { signal: c.signal } : {}),
        ...(c.deadline !== undefined ? { deadline: c.deadline } : {}),
      });
    } catch (error) {
      throw this.transportError(error, c, what);
    }
    if (res.status >= 200 && res.status < 300) return res;
    if (stream && res.body) res.text = await readAll(res.body);
    throw errorFromStatus(res, {
      verb: c.verb,
      server: this.server,
      context: this.config.context,
      ...(c.ref ? { ref: c.ref } : {}),
    });
  }

  private transportError(error: unknown, c: Call, what: string): unknown {
    if (!(error instanceof TransportError)) return error;
    const init = { server: this.server, cause: error, ...(c.ref ? { ref: c.ref } : {}) };
    const verb = c.ref ? `${c.verb}: ` : '';
    const tries = error.attempts > 1 ? ` (${error.attempts} attempts)` : '';
    const where = `${this.server} (context "${this.config.context}")`;
    const message = `${what}: ${verb}${error.message.replace(this.server, where)}${tries}`;
    return error.failure.kind === 'connection'
      ? new UnavailableError(message, init)
      : new TimeoutError(message, init);
  }
}
