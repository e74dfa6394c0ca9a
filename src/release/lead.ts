/**
 * What a rollback applies first (pure, ADR 0151): the objects it changes, with what their pods
 * use (namespace, service account, config maps, secrets and what makes them, claims, priority
 * and runtime classes), in dependency order; the objects it leaves as they are follow. Those are
 * already on the cluster as the revision being replaced applied them, so the rollout starts
 * without waiting for a hundred no-op applies.
 */
import { groupKindOf } from '../model/group-kind.ts';
import type { KubeObject } from '../model/object.ts';
import { podSpecOf } from '../model/pod-template.ts';
import { canonicalJson } from '../model/canonical-json.ts';
import { keyOf, toRef } from './inventory.ts';

export interface LeadPlan {
  /** Keys (inventory's `keyOf`) of the objects applied first. */
  lead: ReadonlySet<string>;
  /** How many of them change (the rest are what their pods use). */
  changed: number;
}

/**
 * The lead of restoring `target` over `current` (the objects of the revision being replaced, all
 * applied). Undefined when it would not help: nothing changes, or everything does.
 */
export function planLead(
  target: readonly KubeObject[],
  current: readonly KubeObject[],
): LeadPlan | undefined {
  const before = new Map(current.map((o) => [keyOf(toRef(o)), canonicalJson(o)]));
  const changed = target.filter((o) => before.get(keyOf(toRef(o))) !== canonicalJson(o));
  if (changed.length === 0 || changed.length === target.length) return undefined;
  const used = new Set<string>();
  for (const obj of changed) for (const key of usedBy(obj)) used.add(key);
  const lead = new Set(changed.map((o) => keyOf(toRef(o))));
  for (const obj of target) {
    const key = keyOf(toRef(obj));
    if (used.has(key) || makesUsedSecret(obj, used)) lead.add(key);
  }
  return lead.size === target.length ? undefined : { lead, changed: changed.length };
}

/** Keys of the objects a changed object's pods need before they start (and its namespace). */
function usedBy(obj: KubeObject): string[] {
  const ns = obj.metadata.namespace;
  const out: string[] = ns ? [keyOf({ apiVersion: 'v1', kind: 'Namespace', name: ns })] : [];
  const spec = podSpecOf(obj) as PodSpec | undefined;
  if (!spec) return out;
  const named = (apiVersion: string, kind: string, names: unknown[], namespaced = true) => {
    for (const name of names)
      if (typeof name === 'string' && name)
        out.push(keyOf({ apiVersion, kind, name, ...(namespaced && ns ? { namespace: ns } : {}) }));
  };
  const refs = podRefs(spec);
  named('v1', 'ServiceAccount', [spec.serviceAccountName ?? 'default']);
  named('v1', 'ConfigMap', refs.configMaps);
  named('v1', 'Secret', refs.secrets);
  named('v1', 'PersistentVolumeClaim', refs.claims);
  named('scheduling.k8s.io/v1', 'PriorityClass', [spec.priorityClassName], false);
  named('node.k8s.io/v1', 'RuntimeClass', [spec.runtimeClassName], false);
  return out;
}

/** The names of the config maps, secrets and claims a pod spec refers to. */
function podRefs(spec: PodSpec): { configMaps: unknown[]; secrets: unknown[]; claims: unknown[] } {
  const configMaps: unknown[] = [];
  const secrets: unknown[] = (spec.imagePullSecrets ?? []).map((s) => s.name);
  const claims: unknown[] = [];
  for (const v of spec.volumes ?? []) {
    configMaps.push(v.configMap?.name);
    secrets.push(v.secret?.secretName);
    claims.push(v.persistentVolumeClaim?.claimName);
    for (const p of v.projected?.sources ?? []) {
      configMaps.push(p.configMap?.name);
      secrets.push(p.secret?.name);
    }
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const e of c.env ?? []) {
      configMaps.push(e.valueFrom?.configMapKeyRef?.name);
      secrets.push(e.valueFrom?.secretKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      configMaps.push(e.configMapRef?.name);
      secrets.push(e.secretRef?.name);
    }
  }
  return { configMaps, secrets, claims };
}

/** An ExternalSecret whose target is a Secret the changed pods use (it makes that Secret). */
function makesUsedSecret(obj: KubeObject, used: ReadonlySet<string>): boolean {
  if (groupKindOf(obj) !== 'external-secrets.io/ExternalSecret') return false;
  const target = (obj.spec as { target?: { name?: unknown } } | undefined)?.target?.name;
  const name = typeof target === 'string' && target ? target : obj.metadata.name;
  const ns = obj.metadata.namespace;
  return used.has(
    keyOf({ apiVersion: 'v1', kind: 'Secret', name, ...(ns ? { namespace: ns } : {}) }),
  );
}

interface Ref {
  name?: unknown;
}
interface PodSpec {
  serviceAccountName?: unknown;
  priorityClassName?: unknown;
  runtimeClassName?: unknown;
  imagePullSecrets?: Ref[];
  volumes?: {
    configMap?: Ref;
    secret?: { secretName?: unknown };
    persistentVolumeClaim?: { claimName?: unknown };
    projected?: { sources?: { configMap?: Ref; secret?: Ref }[] };
  }[];
  initContainers?: Container[];
  containers?: Container[];
}
interface Container {
  env?: { valueFrom?: { configMapKeyRef?: Ref; secretKeyRef?: Ref } }[];
  envFrom?: { configMapRef?: Ref; secretRef?: Ref }[];
}
