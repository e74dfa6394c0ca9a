/**
 * `MemoryKube`: the Kubernetes port in memory, for unit tests of everything that talks to a
 * cluster. Objects live in a map with resourceVersions and generations; server-side apply keeps
 * per-manager field ownership (SSA-lite, ./ssa.ts); watches replay from a resourceVersion and
 * fail with `GoneError` after `compact()`; workloads have `/scale`; namespaces must exist;
 * finalizers hold deletions; owner references cascade. No controllers run: tests write status
 * with `patch(..., { subresource: 'status' })` as a controller would. ADR 0060.
 */
import { groupKindOf } from '../../model/group-kind.ts';
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
  AlreadyExistsError,
  ConflictError,
  InvalidError,
  NotFoundError,
  TimeoutError,
  UnknownKindError,
} from '../errors.ts';
import { KindTable, scalableKinds } from './kinds.ts';
import { applyPatch } from './patches.ts';
import { LogBook } from './logs.ts';
import { ObjectStore } from './object-store.ts';
import type { MemoryKubeOptions } from './options.ts';
import { applyFields, recordUpdate } from './ssa.ts';
import { evictionOf, pageOf, reviewOf, scaleOf, tokenRequest } from './subresources.ts';

function gkOf(apiVersion: string, kind: string): string {
  return groupKindOf({ apiVersion, kind });
}
function clone<T>(value: T): T {
  return structuredClone(value);
}

export class MemoryKube implements KubeApi {
  readonly server: string;
  readonly defaultNamespace: string;
  /** The kinds served; CRDs applied to this server add theirs. */
  get kinds(): KindTable {
    return this.db.kinds;
  }
  private readonly db: ObjectStore;
  private readonly logs = new LogBook();
  private readonly now: () => number;
  private readonly onCall: MemoryKubeOptions['onCall'];

  constructor(options: MemoryKubeOptions = {}) {
    this.server = options.server ?? 'memory://kube';
    this.defaultNamespace = options.defaultNamespace ?? 'default';
    this.now = options.now ?? Date.now;
    this.onCall = options.onCall;
    this.db = new ObjectStore({
      time: () => this.time(),
      establishCrds: options.establishCrds ?? true,
    });
  }

  // ---- the port ----

  async resource(
    apiVersion: string,
    kind: string,
    options: CallOptions = {},
  ): Promise<ResourceInfo | undefined> {
    await this.guard('discover', options);
    return this.db.kinds.get(apiVersion, kind);
  }

  async get(ref: ObjectRef, options: CallOptions = {}): Promise<KubeObject | undefined> {
    await this.guard('get', options, { ref });
    const obj = this.db.objects.get(this.keyOf(ref));
    return obj ? clone(obj) : undefined;
  }

  async list(collection: CollectionRef, options: ListOptions = {}): Promise<ListResult> {
    await this.guard('list', options, { collection });
    const { items, next } = pageOf(this.db.select(collection, options), options);
    const page = { items: items.map(clone), resourceVersion: this.db.version() };
    return next ? { ...page, continue: next } : page;
  }

  async *watch(collection: CollectionRef, options: WatchOptions = {}): AsyncIterable<WatchEvent> {
    await this.guard('watch', options, { collection });
    yield* this.db.hub.stream(collection, gkOf(collection.apiVersion, collection.kind), options, {
      current: () => this.db.select(collection, options),
      server: this.server,
    });
  }

  async apply(obj: KubeObject, options: ApplyOptions): Promise<ApplyResult> {
    const ref = this.place(obj);
    await this.guard(options.dryRun ? 'apply (server dry-run)' : 'apply', options, { ref });
    this.requireNamespace(ref);
    const key = this.keyOf(ref);
    const live = this.db.objects.get(key);
    const applied = clone({ ...obj, metadata: { ...obj.metadata, ...this.namespaceField(ref) } });
    const { object, conflicts } = applyFields(live, applied, {
      manager: options.fieldManager,
      force: options.force ?? false,
      time: this.time(),
    });
    if (conflicts.length) {
      const list = conflicts.map((c) => `${c.message ?? ''}: ${c.field ?? ''}`).join('; ');
      throw new ConflictError(
        `${describeRef(ref)}: apply refused by the API server (409 Conflict): Apply failed with ${conflicts.length} conflict(s): ${list}`,
        {
          status: 409,
          serverMessage: `Apply failed with ${conflicts.length} conflict(s): ${list}`,
          ref,
          server: this.server,
          causes: conflicts,
        },
      );
    }
    const stored = this.db.store(key, live, object, options.dryRun ?? false);
    return { object: clone(stored), created: !live, warnings: [] };
  }

  async patch(ref: ObjectRef, patch: unknown, options: PatchOptions): Promise<KubeObject> {
    const placed = this.place(ref);
    await this.guard('patch', options, { ref: placed });
    const key = this.keyOf(placed);
    const live = this.db.objects.get(key);
    if (!live) throw this.notFound(placed, 'patch');
    let next: KubeObject;
    if (options.subresource === 'status') {
      const patched = applyPatch(options.type, { status: live.status ?? {} }, patch) as {
        status?: unknown;
      };
      next = { ...clone(live), status: patched.status };
    } else {
      next = applyPatch(options.type, clone(live), patch) as KubeObject;
      next.status = clone(live.status);
      if (next.status === undefined) delete next.status;
      next = recordUpdate(live, next, { manager: options.fieldManager, time: this.time() });
    }
    return clone(this.db.store(key, live, next, options.dryRun ?? false));
  }

  async create(body: CreateBody, options: CreateOptions): Promise<KubeObject> {
    if (options.subresourceOf) return this.createSubresource(body, options);
    await this.guard('create', options);
    const info = this.db.kinds.get(body.apiVersion, body.kind);
    if (!info)
      throw new UnknownKindError({
        apiVersion: body.apiVersion,
        kind: body.kind,
        name: body.metadata?.name ?? '',
      });
    if (body.kind === 'SelfSubjectRulesReview' || body.kind === 'SelfSubjectAccessReview')
      return reviewOf(body);
    const metadata = { ...(body.metadata ?? {}) } as KubeObject['metadata'];
    if (!metadata.name && typeof metadata.generateName === 'string')
      metadata.name = `${metadata.generateName}${this.db.nextSerial().toString(36).padStart(5, '0')}`;
    if (!metadata.name)
      throw new InvalidError(`${body.kind}: metadata.name or generateName is required`);
    if (info.namespaced) metadata.namespace ??= options.namespace ?? this.defaultNamespace;
    else delete metadata.namespace;
    const obj = { ...clone(body), metadata } as KubeObject;
    const ref = this.place(obj);
    this.requireNamespace(ref);
    const key = this.keyOf(ref);
    if (this.db.objects.has(key))
      throw new AlreadyExistsError(
        `${describeRef(ref)}: create refused by the API server (409 AlreadyExists): already exists`,
        { status: 409, ref, server: this.server },
      );
    const owned = recordUpdate(undefined, obj, {
      manager: options.fieldManager,
      time: this.time(),
    });
    return clone(this.db.store(key, undefined, owned, options.dryRun ?? false));
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    const placed = this.place(ref);
    await this.guard('delete', options, { ref: placed });
    const key = this.keyOf(placed);
    const live = this.db.objects.get(key);
    if (!live) return false;
    const pre = options.preconditions;
    if (
      (pre?.uid && pre.uid !== live.metadata.uid) ||
      (pre?.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion)
    )
      throw new ConflictError(
        `${describeRef(placed)}: delete refused by the API server (409 Conflict): precondition failed`,
        { status: 409, ref: placed, server: this.server },
      );
    if (options.dryRun) return true;
    this.db.remove(key, live, options.propagation ?? 'Background');
    return true;
  }

  async getScale(ref: ObjectRef, options: CallOptions = {}): Promise<Scale> {
    const placed = this.place(ref);
    await this.guard('get scale', options, { ref: placed });
    return this.scaleOf(placed);
  }

  async patchScale(ref: ObjectRef, replicas: number, options: ScaleOptions): Promise<Scale> {
    const placed = this.place(ref);
    await this.guard('scale', options, { ref: placed });
    const live = this.scalable(placed);
    if (options.resourceVersion && options.resourceVersion !== live.metadata.resourceVersion)
      throw new ConflictError(
        `${describeRef(placed)}: scale refused by the API server (409 Conflict): the object has been modified`,
        { status: 409, ref: placed, server: this.server },
      );
    const next = clone(live);
    (next.spec as Record<string, unknown>).replicas = replicas;
    const owned = recordUpdate(live, next, {
      manager: options.fieldManager,
      time: this.time(),
      subresource: 'scale',
    });
    this.db.store(this.keyOf(placed), live, owned, options.dryRun ?? false);
    return this.scaleOf(placed);
  }

  async podLogs(ref: ObjectRef, options: LogOptions = {}): Promise<string> {
    const placed = this.place(ref);
    await this.guard('read log', options, { ref: placed });
    const lines = this.logs.read(placed, options, () => this.db.objects.has(this.keyOf(placed)));
    return lines.map((l) => `${l}\n`).join('');
  }

  async *followLogs(ref: ObjectRef, options: LogOptions = {}): AsyncIterable<string> {
    const placed = this.place(ref);
    await this.guard('follow log', options, { ref: placed });
    if (!this.db.objects.has(this.keyOf(placed))) throw this.notFound(placed, 'follow log');
    yield* this.logs.follow(placed, options);
  }

  close(): void {
    this.endWatches();
    this.logs.endAll();
  }

  // ---- test controls ----

  /** Every stored object (copies), in key order. */
  all(): KubeObject[] {
    return [...this.db.objects.keys()]
      .sort()
      .map((k) => clone(this.db.objects.get(k) as KubeObject));
  }

  /** Forgets the event history: watches from an older resourceVersion fail with GoneError. */
  compact(): void {
    this.db.hub.compact(this.db.rv);
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch. */
  bookmark(): void {
    this.db.hub.bookmark(this.db.rv);
  }

  /** Appends lines to a pod container's log (what the container would print). */
  writeLog(pod: { namespace?: string; name: string }, container: string, ...lines: string[]): void {
    this.logs.write(
      { namespace: pod.namespace ?? this.defaultNamespace, name: pod.name },
      container,
      lines,
    );
  }

  /** Ends every log being followed, as when the containers stop. */
  endLogs(): void {
    this.logs.endAll();
  }

  /** Closes every open watch, as a server does at its timeout. */
  endWatches(): void {
    this.db.hub.endAll();
  }

  // ---- internals ----

  private async guard(
    verb: string,
    options: CallOptions,
    target: { ref?: ObjectRef; collection?: CollectionRef } = {},
  ): Promise<void> {
    const what = target.ref ? describeRef(target.ref) : (target.collection?.kind ?? verb);
    if (options.signal?.aborted)
      throw new TimeoutError(`${what}: ${verb} cancelled before it was sent to ${this.server}`);
    if (options.deadline !== undefined && this.now() >= options.deadline)
      throw new TimeoutError(
        `${what}: ${verb}: the operation's deadline passed before it was sent to ${this.server}`,
      );
    await this.onCall?.({ verb, ...target });
  }

  /** The ref with the namespace the server would use; throws for unknown kinds. */
  private place(ref: ObjectRef | KubeObject): ObjectRef {
    const r: ObjectRef =
      'metadata' in ref
        ? {
            apiVersion: ref.apiVersion,
            kind: ref.kind,
            name: ref.metadata.name,
            ...(ref.metadata.namespace ? { namespace: ref.metadata.namespace } : {}),
          }
        : ref;
    const info = this.db.kinds.get(r.apiVersion, r.kind);
    if (!info) throw new UnknownKindError(r, { server: this.server });
    const { namespace: _ns, ...rest } = r;
    return info.namespaced ? { ...rest, namespace: r.namespace ?? this.defaultNamespace } : rest;
  }

  private namespaceField(ref: ObjectRef): { namespace?: string } {
    return ref.namespace ? { namespace: ref.namespace } : {};
  }

  private keyOf(ref: ObjectRef): string {
    return `${gkOf(ref.apiVersion, ref.kind)}|${ref.namespace ?? ''}|${ref.name}`;
  }

  private requireNamespace(ref: ObjectRef): void {
    if (!ref.namespace || ref.kind === 'Namespace') return;
    if (
      !this.db.objects.has(this.keyOf({ apiVersion: 'v1', kind: 'Namespace', name: ref.namespace }))
    )
      throw new NotFoundError(
        `${describeRef(ref)}: refused by the API server (404 NotFound): namespaces "${ref.namespace}" not found`,
        { status: 404, ref, server: this.server },
      );
  }

  private notFound(ref: ObjectRef, verb: string): NotFoundError {
    return new NotFoundError(
      `${describeRef(ref)}: ${verb} refused by the API server (404 NotFound): not found`,
      { status: 404, ref, server: this.server },
    );
  }

  private time(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private scalable(ref: ObjectRef): KubeObject {
    if (!scalableKinds.has(gkOf(ref.apiVersion, ref.kind)))
      throw new NotFoundError(`${describeRef(ref)}: ${ref.kind} has no /scale subresource`, {
        status: 404,
        ref,
        server: this.server,
      });
    const live = this.db.objects.get(this.keyOf(ref));
    if (!live) throw this.notFound(ref, 'get scale');
    return live;
  }

  private scaleOf(ref: ObjectRef): Scale {
    return scaleOf(this.scalable(ref));
  }

  private async createSubresource(body: CreateBody, options: CreateOptions): Promise<KubeObject> {
    const sub = options.subresourceOf;
    if (!sub) throw new InvalidError('no subresource');
    const ref = this.place(sub.ref);
    await this.guard(`create ${sub.subresource}`, options, { ref });
    const live = this.db.objects.get(this.keyOf(ref));
    if (!live) throw this.notFound(ref, `create ${sub.subresource}`);
    if (ref.kind === 'ServiceAccount' && sub.subresource === 'token')
      return tokenRequest(body, ref, this.db.nextSerial(), this.now());
    if (ref.kind === 'Pod' && sub.subresource === 'eviction') {
      if (!options.dryRun) this.db.remove(this.keyOf(ref), live, 'Background');
      return evictionOf(body, ref);
    }
    throw new NotFoundError(
      `${describeRef(ref)}: no subresource "${sub.subresource}" in the in-memory server`,
      { status: 404, ref, server: this.server },
    );
  }
}
