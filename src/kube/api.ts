/**
 * The Kubernetes port: the narrow interface every capability that talks to a cluster depends on
 * (deploy, release, workflows, autoscaler, watchdog). Two implementations: the HTTP adapter
 * (`connectKube`, src/kube/http-api.ts) and the in-memory one (`MemoryKube`, src/kube/memory),
 * which unit tests use. ADR 0060.
 *
 * Rules of the port:
 * - Every call takes `CallOptions`: an abort signal and an absolute deadline. The HTTP adapter
 *   also bounds each request by its own timeout, so nothing waits forever.
 * - Every write names its field manager (the actor: `berth`, `berth-autoscaler`,
 *   `berth-watchdog`), so actors never strip each other's fields (ADR 0030, design.md).
 * - Failures are `KubeError` subclasses (src/kube/errors.ts) with a `reason`; `get` of an
 *   absent object resolves `undefined` instead of throwing.
 */
import type { KubeObject, ObjectRef } from '../model/object.ts';

/** Bounds of one call. Both optional; the adapter adds its per-request timeout. */
export interface CallOptions {
  /** Aborts the call (the operation was cancelled or its deadline passed). */
  signal?: AbortSignal;
  /** Absolute deadline in epoch milliseconds (`Date.now()` clock). */
  deadline?: number;
}

/** A collection: one kind, in one namespace or (namespace absent) cluster-wide. */
export interface CollectionRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

/** The actors that write to a cluster, each its own field manager (design.md). */
export const FieldManager = {
  cli: 'berth',
  autoscaler: 'berth-autoscaler',
  watchdog: 'berth-watchdog',
} as const;
export type FieldManager = (typeof FieldManager)[keyof typeof FieldManager];

export interface WriteOptions extends CallOptions {
  /** The actor's field manager. Required: there is no anonymous write. */
  fieldManager: string;
  /** Server-side dry run (`dryRun=All`): admission and validation, nothing persisted. @default false */
  dryRun?: boolean;
}

export interface ApplyOptions extends WriteOptions {
  /** Take over fields another manager owns instead of failing with a Conflict. @default false */
  force?: boolean;
}

export interface ApplyResult {
  /** The object as the server stored it (or would store it, in a dry run). */
  object: KubeObject;
  /** True when the apply created the object (HTTP 201). */
  created: boolean;
  /** `Warning` headers (Pod Security "would violate", deprecated APIs). */
  warnings: string[];
}

export const PatchType = {
  /** RFC 7386 JSON merge patch. */
  merge: 'merge',
  /** Kubernetes strategic merge patch (built-in kinds only). */
  strategic: 'strategic',
  /** RFC 6902 JSON patch (a list of operations). */
  json: 'json',
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

export interface PatchOptions extends WriteOptions {
  type: PatchType;
  /** Patch a subresource (`status`, `scale`) instead of the object. */
  subresource?: string;
}

export const Propagation = {
  background: 'Background',
  foreground: 'Foreground',
  orphan: 'Orphan',
} as const;
export type Propagation = (typeof Propagation)[keyof typeof Propagation];

export interface DeleteOptions extends CallOptions {
  /** How dependents are deleted. @default 'Background' */
  propagation?: Propagation;
  /** Delete only this incarnation / version (else Conflict). @default none */
  preconditions?: { uid?: string; resourceVersion?: string };
  /** @default the object's own grace period */
  gracePeriodSeconds?: number;
  /** @default false */
  dryRun?: boolean;
}

export interface ListOptions extends CallOptions {
  /** `app=x,tier!=db,env in (a,b),!legacy`. @default everything */
  labelSelector?: string;
  /** `metadata.name=x,status.phase!=Running`. @default everything */
  fieldSelector?: string;
  /** `''` or absent: the latest state (a quorum read); `'0'`: any cached state. */
  resourceVersion?: string;
  /** At most this many items in one answer; the rest through `continue`. @default all */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
}

export interface ListResult {
  /** The items, each with `apiVersion` and `kind` filled in. */
  items: KubeObject[];
  /** The list's resourceVersion, to watch from. */
  resourceVersion: string;
  /** Present when more items follow: pass it as `continue` (same selectors) for the next page. */
  continue?: string;
}

export interface WatchOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Watch changes after this version (from a list). Too old: the watch fails with `GoneError`. */
  resourceVersion?: string;
  /** Ask for BOOKMARK events (they only advance the resourceVersion). @default true */
  allowBookmarks?: boolean;
  /** The server closes the watch after this long; callers re-watch. @default 300 */
  timeoutSeconds?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent {
  type: WatchEventType;
  /** The object (for BOOKMARK only `metadata.resourceVersion` is meaningful). */
  object: KubeObject;
}

/** The `/scale` subresource of a workload. */
export interface Scale {
  /** `spec.replicas`: what is asked for. */
  replicas: number;
  /** `status.replicas`: what exists. */
  statusReplicas: number;
  /** `status.selector`: the pods' label selector as a string. */
  selector: string;
  resourceVersion: string;
}

export interface ScaleOptions extends WriteOptions {
  /** Fail with Conflict unless the scale is still at this version. @default no check */
  resourceVersion?: string;
}

/**
 * What `create` sends: an object or a request kind without a name (`SelfSubjectRulesReview`,
 * `SelfSubjectAccessReview`, `TokenRequest`).
 */
export interface CreateBody {
  apiVersion: string;
  kind: string;
  metadata?: Partial<KubeObject['metadata']>;
  [field: string]: unknown;
}

export interface CreateOptions extends WriteOptions {
  /**
   * Create a subresource of an existing object instead (`token` of a ServiceAccount is a
   * TokenRequest, `eviction` of a Pod an Eviction). @default none
   */
  subresourceOf?: { ref: ObjectRef; subresource: string };
  /** Namespace of a namespaced collection when the body has none. @default the context's */
  namespace?: string;
}

export interface LogOptions extends CallOptions {
  /** @default the pod's only container */
  container?: string;
  /** The previous (crashed) run's log. @default false */
  previous?: boolean;
  /** Only the last N lines. @default all */
  tailLines?: number;
  /** Only lines newer than this. @default all */
  sinceSeconds?: number;
  /** Cut the log at this many bytes. @default no limit */
  limitBytes?: number;
  /** Prefix each line with its RFC 3339 timestamp. @default false */
  timestamps?: boolean;
}

/** What the server serves for a kind (from discovery). */
export interface ResourceInfo {
  /** Plural resource name (`deployments`). */
  name: string;
  namespaced: boolean;
}

/**
 * The port. Implementations: the HTTP adapter and `MemoryKube`. Closing releases sockets and
 * stops open watches.
 */
export interface KubeApi {
  /** The API server, for messages (`https://127.0.0.1:6443`; `memory://` for MemoryKube). */
  readonly server: string;
  /** The namespace namespaced objects without one go to (the kubeconfig context's). */
  readonly defaultNamespace: string;

  /** Discovery: how the server serves `kind` of `apiVersion`; undefined when it does not. */
  resource(
    apiVersion: string,
    kind: string,
    options?: CallOptions & { refresh?: boolean },
  ): Promise<ResourceInfo | undefined>;

  /** The live object, or undefined when it does not exist. */
  get(ref: ObjectRef, options?: CallOptions): Promise<KubeObject | undefined>;
  list(collection: CollectionRef, options?: ListOptions): Promise<ListResult>;
  /**
   * Changes of a collection, in order, until the server closes the stream (return), the signal
   * aborts (return), or the watch fails (throws; `GoneError` when `resourceVersion` is too old).
   */
  watch(collection: CollectionRef, options?: WatchOptions): AsyncIterable<WatchEvent>;

  /** Server-side apply (`application/apply-patch+yaml`) as `options.fieldManager`. */
  apply(obj: KubeObject, options: ApplyOptions): Promise<ApplyResult>;
  patch(ref: ObjectRef, patch: unknown, options: PatchOptions): Promise<KubeObject>;
  create(body: CreateBody, options: CreateOptions): Promise<KubeObject>;
  /** Deletes; resolves false when the object was already absent. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;

  getScale(ref: ObjectRef, options?: CallOptions): Promise<Scale>;
  patchScale(ref: ObjectRef, replicas: number, options: ScaleOptions): Promise<Scale>;

  /** A pod container's log (`pods/log`), as text. `ref` names the Pod. */
  podLogs(ref: ObjectRef, options?: LogOptions): Promise<string>;
  /**
   * Follows a pod container's log: its lines (without the newline) as they are written, until
   * the container stops, the server ends the stream, or the signal aborts.
   */
  followLogs(ref: ObjectRef, options?: LogOptions): AsyncIterable<string>;

  close(): void;
}

/** An operation's bounds from a timeout: a signal that aborts at the deadline, and the deadline. */
export function operationBounds(
  timeoutMs: number,
  now: () => number = Date.now,
): Required<CallOptions> {
  return { signal: AbortSignal.timeout(timeoutMs), deadline: now() + timeoutMs };
}

/** `Deployment bots/clovis` from a collection and a name. */
export function refIn(collection: CollectionRef, name: string): ObjectRef {
  return collection.namespace === undefined
    ? { apiVersion: collection.apiVersion, kind: collection.kind, name }
    : { ...collection, name };
}
