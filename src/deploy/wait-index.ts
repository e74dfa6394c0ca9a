/**
 * What the wait's informers saw, indexed for it: the live pending objects by key, and pods and
 * ReplicaSets by owner, so a change marks only the workloads it concerns and each workload's
 * readiness is judged over its own pods.
 */
import type { CollectionRef } from '../kube/api.ts';
import { groupKindOf } from '../model/group-kind.ts';
import type { KubeObject } from '../model/object.ts';
import type { ReadinessContext } from './readiness/index.ts';

const podOwners = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'batch/Job',
]);

function keyOf(obj: KubeObject): string {
  return `${groupKindOf(obj)}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}
function ownerUids(obj: KubeObject): string[] {
  const refs = obj.metadata.ownerReferences;
  return Array.isArray(refs) ? refs.map((r: { uid?: string }) => r.uid ?? '') : [];
}
function collectionKey(c: CollectionRef): string {
  return `${c.apiVersion}|${c.kind}|${c.namespace ?? ''}`;
}

export class WaitIndex {
  private readonly targets = new Map<string, CollectionRef>();
  private readonly pendingKeys: Set<string>;
  private readonly live = new Map<string, KubeObject>();
  /** Pending workload key by uid (learnt from the live objects). */
  private readonly byUid = new Map<string, string>();
  /** Pods and ReplicaSets by key, and their keys by owner uid. */
  private readonly children = new Map<string, KubeObject>();
  private readonly childrenOf = new Map<string, Set<string>>();
  private readonly childByUid = new Map<string, string>();

  constructor(pending: readonly KubeObject[]) {
    this.pendingKeys = new Set(pending.map(keyOf));
    const add = (apiVersion: string, kind: string, namespace?: string): void => {
      const c: CollectionRef = namespace ? { apiVersion, kind, namespace } : { apiVersion, kind };
      this.targets.set(collectionKey(c), c);
    };
    for (const obj of pending) {
      const ns = obj.metadata.namespace;
      add(obj.apiVersion, obj.kind, ns);
      if (podOwners.has(groupKindOf(obj))) add('v1', 'Pod', ns);
      if (groupKindOf(obj) === 'apps/Deployment') add('apps/v1', 'ReplicaSet', ns);
    }
  }

  /** One informer per (kind, namespace) of pending objects, plus their pods and ReplicaSets. */
  collections(): CollectionRef[] {
    return [...this.targets.values()];
  }

  object(key: string): KubeObject | undefined {
    return this.live.get(key);
  }

  private isChild(c: CollectionRef, obj: KubeObject): boolean {
    return (c.kind === 'Pod' || c.kind === 'ReplicaSet') && !this.pendingKeys.has(keyOf(obj));
  }

  update(c: CollectionRef, obj: KubeObject): void {
    const key = keyOf(obj);
    if (this.pendingKeys.has(key)) {
      this.live.set(key, obj);
      if (typeof obj.metadata.uid === 'string') this.byUid.set(obj.metadata.uid, key);
    }
    if (!this.isChild(c, obj)) return;
    this.children.set(key, obj);
    if (typeof obj.metadata.uid === 'string') this.childByUid.set(obj.metadata.uid, key);
    for (const uid of ownerUids(obj)) {
      const set = this.childrenOf.get(uid) ?? new Set();
      set.add(key);
      this.childrenOf.set(uid, set);
    }
  }

  remove(c: CollectionRef, obj: KubeObject): void {
    const key = keyOf(obj);
    this.live.delete(key);
    if (!this.isChild(c, obj)) return;
    this.children.delete(key);
    for (const uid of ownerUids(obj)) this.childrenOf.get(uid)?.delete(key);
  }

  /** The pending objects a change of `obj` may change the readiness of. */
  affected(c: CollectionRef, obj: KubeObject): string[] {
    const key = keyOf(obj);
    if (this.pendingKeys.has(key)) return [key];
    if (!this.isChild(c, obj)) return [];
    const out: string[] = [];
    for (const uid of ownerUids(obj)) {
      const owner = this.byUid.get(uid);
      if (owner) out.push(owner);
      // A pod of a ReplicaSet: the ReplicaSet's owner (the Deployment) is concerned too.
      const rs = this.children.get(this.childByUid.get(uid) ?? '');
      if (rs)
        for (const u of ownerUids(rs)) {
          const parent = this.byUid.get(u);
          if (parent) out.push(parent);
        }
    }
    return out;
  }

  /** Pods and ReplicaSets of a pending workload (through its ReplicaSets for a Deployment). */
  contextOf(key: string): ReadinessContext {
    const obj = this.live.get(key);
    const uid = obj?.metadata.uid;
    if (!obj || typeof uid !== 'string' || !podOwners.has(groupKindOf(obj))) return {};
    const direct = [...(this.childrenOf.get(uid) ?? [])]
      .map((k) => this.children.get(k))
      .filter((o): o is KubeObject => o !== undefined);
    const replicaSets = direct.filter((o) => o.kind === 'ReplicaSet');
    const pods = direct.filter((o) => o.kind === 'Pod');
    for (const rs of replicaSets)
      for (const k of this.childrenOf.get(String(rs.metadata.uid)) ?? []) {
        const pod = this.children.get(k);
        if (pod?.kind === 'Pod') pods.push(pod);
      }
    const ctx: ReadinessContext = { pods };
    if (obj.kind === 'Deployment') ctx.replicaSets = replicaSets;
    return ctx;
  }

  /** The last view of the pending objects and their pods. */
  observed(): KubeObject[] {
    return [...this.live.values(), ...[...this.children.values()].filter((o) => o.kind === 'Pod')];
  }
}
