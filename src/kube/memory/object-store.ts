/**
 * The in-memory server's objects: one map, resourceVersions and generations, server defaults
 * (`replicas`, CRD conditions), finalizers, owner-reference and namespace cascades, and the
 * watch events each change produces.
 */
import { groupKindOf, groupOf } from '../../model/group-kind.ts';
import type { KubeObject } from '../../model/object.ts';
import type { CollectionRef, ListOptions, WatchEvent, WatchOptions } from '../api.ts';
import { KindTable } from './kinds.ts';
import { fieldSelectorTest, labelSelectorTest } from './selectors.ts';
import { sameContent, specChanged } from './ssa.ts';
import { WatchHub } from './watch-hub.ts';

const workloadsWithReplicas = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet']);

function gkOf(apiVersion: string, kind: string): string {
  return groupKindOf({ apiVersion, kind });
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export class ObjectStore {
  readonly objects = new Map<string, KubeObject>();
  readonly hub = new WatchHub();
  readonly kinds = new KindTable();
  rv = 1;
  private serial = 0;
  private readonly time: () => string;
  private readonly establishCrds: boolean;

  constructor(options: { time: () => string; establishCrds: boolean }) {
    this.time = options.time;
    this.establishCrds = options.establishCrds;
  }

  /** A fresh number for generated names, uids and tokens. */
  nextSerial(): number {
    return ++this.serial;
  }

  /** The current resourceVersion. */
  version(): string {
    return String(this.rv);
  }

  select(collection: CollectionRef, options: ListOptions | WatchOptions): KubeObject[] {
    const gk = gkOf(collection.apiVersion, collection.kind);
    const labels = labelSelectorTest(options.labelSelector);
    const fields = fieldSelectorTest(options.fieldSelector);
    const out: KubeObject[] = [];
    for (const [key, obj] of [...this.objects].sort(([a], [b]) => a.localeCompare(b))) {
      if (!key.startsWith(`${gk}|`)) continue;
      if (collection.namespace !== undefined && obj.metadata.namespace !== collection.namespace)
        continue;
      if (labels(obj) && fields(obj))
        out.push({ ...obj, apiVersion: collection.apiVersion, kind: collection.kind });
    }
    return out;
  }

  /** Stores `next` (server-set metadata, defaults, version bumps) and notifies the watches. */
  store(key: string, live: KubeObject | undefined, next: KubeObject, dryRun: boolean): KubeObject {
    const gk = gkOf(next.apiVersion, next.kind);
    if (workloadsWithReplicas.has(gk)) {
      const spec = (next.spec ??= {}) as Record<string, unknown>;
      spec.replicas ??= 1;
    }
    if (gk === 'apiextensions.k8s.io/CustomResourceDefinition' && this.establishCrds)
      next.status = {
        conditions: [
          { type: 'NamesAccepted', status: 'True' },
          { type: 'Established', status: 'True' },
        ],
      };
    if (live && sameContent(live, next)) return live;
    const meta = next.metadata;
    meta.uid = live?.metadata.uid ?? `uid-${++this.serial}`;
    meta.creationTimestamp = live?.metadata.creationTimestamp ?? this.time();
    const generation = typeof live?.metadata.generation === 'number' ? live.metadata.generation : 0;
    meta.generation = !live || specChanged(live, next) ? generation + 1 : generation;
    if (dryRun)
      return {
        ...next,
        metadata: { ...meta, resourceVersion: live?.metadata.resourceVersion ?? '' },
      };
    meta.resourceVersion = String(++this.rv);
    if (live?.metadata.deletionTimestamp && !(meta.finalizers as unknown[] | undefined)?.length) {
      this.objects.set(key, next);
      this.remove(key, next, 'Background');
      return next;
    }
    this.objects.set(key, next);
    if (gk === 'apiextensions.k8s.io/CustomResourceDefinition') this.kinds.registerCrd(next);
    this.emit(live ? 'MODIFIED' : 'ADDED', next);
    return next;
  }

  remove(key: string, live: KubeObject, propagation: string): void {
    if ((live.metadata.finalizers as unknown[] | undefined)?.length) {
      if (live.metadata.deletionTimestamp) return;
      const next = clone(live);
      next.metadata.deletionTimestamp = this.time();
      next.metadata.resourceVersion = String(++this.rv);
      this.objects.set(key, next);
      this.emit('MODIFIED', next);
      return;
    }
    this.objects.delete(key);
    this.rv++;
    this.emit('DELETED', {
      ...live,
      metadata: { ...live.metadata, resourceVersion: String(this.rv) },
    });
    const uid = live.metadata.uid;
    for (const [k, obj] of [...this.objects]) {
      const inNamespace =
        live.kind === 'Namespace' &&
        !groupOf(live.apiVersion) &&
        obj.metadata.namespace === live.metadata.name;
      const owners = (obj.metadata.ownerReferences as { uid?: string }[] | undefined) ?? [];
      const owned = propagation !== 'Orphan' && owners.some((o) => o.uid === uid);
      if ((inNamespace || owned) && this.objects.has(k)) this.remove(k, obj, 'Background');
    }
  }

  private emit(type: WatchEvent['type'], obj: KubeObject): void {
    this.hub.emit(this.rv, gkOf(obj.apiVersion, obj.kind), { type, object: clone(obj) });
  }
}
