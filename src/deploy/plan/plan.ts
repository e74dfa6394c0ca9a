import type { Diagnostic } from '../../errors.ts';
import type { KubeObject } from '../../model/object.ts';
import { describeRef, refOf } from '../../model/object.ts';
import { groupKindOf } from '../../model/group-kind.ts';
import { ApplyPhase, kindRank, phaseOf, phaseOrder } from './phases.ts';

/**
 * Which objects a phase holds when a rollback applies what it changes first (ADR 0151): the
 * changed ones and what their pods use, then the unchanged rest, each in dependency order.
 */
export type ApplyLane = 'changed' | 'unchanged';

export interface PlannedPhase {
  phase: ApplyPhase;
  objects: KubeObject[];
  /** Set when the apply is led (planLedApply). */
  lane?: ApplyLane;
}

export interface ApplyPlan {
  /** Non-empty phases in apply order; objects within a phase in a stable order. */
  phases: PlannedPhase[];
  /**
   * Custom resource kinds (`group/Kind`) whose CRD is part of this apply: they may only be
   * applied once that CRD is Established.
   */
  crdBackedKinds: string[];
}

/** Orders objects into phases. Pure and deterministic: the same input gives the same plan. */
export function planApply(objects: readonly KubeObject[]): ApplyPlan {
  const byPhase = new Map<ApplyPhase, KubeObject[]>();
  for (const obj of objects) {
    const phase = phaseOf(obj);
    const list = byPhase.get(phase) ?? [];
    list.push(obj);
    byPhase.set(phase, list);
  }
  const phases: PlannedPhase[] = [];
  for (const phase of phaseOrder) {
    const list = byPhase.get(phase);
    if (list?.length) phases.push({ phase, objects: [...list].sort(compareObjects) });
  }
  return { phases, crdBackedKinds: crdKinds(objects) };
}

/**
 * The phases of the objects `leads` selects, then those of the rest: each lane in dependency
 * order, the second after the first (ADR 0151). Without any object in one lane: planApply's.
 */
export function planLedApply(
  objects: readonly KubeObject[],
  leads: (obj: KubeObject) => boolean,
): ApplyPlan {
  const first = objects.filter(leads);
  const rest = objects.filter((o) => !leads(o));
  if (first.length === 0 || rest.length === 0) return planApply(objects);
  const lane = (list: readonly KubeObject[], name: ApplyLane) =>
    planApply(list).phases.map((p) => ({ ...p, lane: name }));
  return {
    phases: [...lane(first, 'changed'), ...lane(rest, 'unchanged')],
    crdBackedKinds: crdKinds(objects),
  };
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  return (
    kindRank(a) - kindRank(b) ||
    cmp(groupKindOf(a), groupKindOf(b)) ||
    cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    cmp(a.metadata.name, b.metadata.name)
  );
}

/** Code-point order: the same in every locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `group/Kind` of every kind a CRD in the list defines. */
function crdKinds(objects: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const obj of objects) {
    if (groupKindOf(obj) !== 'apiextensions.k8s.io/CustomResourceDefinition') continue;
    const spec = obj.spec as { group?: unknown; names?: { kind?: unknown } } | undefined;
    if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string')
      out.push(`${spec.group}/${spec.names.kind}`);
  }
  return out.sort();
}

/**
 * Structural problems that make an object unappliable, all at once: a missing apiVersion,
 * kind or name, and the same object twice.
 */
export function checkObjects(objects: readonly KubeObject[], source: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  objects.forEach((obj, i) => {
    const where = `${source}: document ${i + 1}`;
    const missing: string[] = (['apiVersion', 'kind'] as const).filter(
      (f) => typeof obj[f] !== 'string' || obj[f] === '',
    );
    const name: unknown = (obj.metadata as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name === '') missing.push('metadata.name');
    if (missing.length) {
      out.push({
        message: `${where}: missing ${missing.join(', ')}`,
        hint: 'every Kubernetes object needs apiVersion, kind and metadata.name',
      });
      return;
    }
    const key = JSON.stringify([groupKindOf(obj), obj.metadata.namespace ?? '', name]);
    if (seen.has(key))
      out.push({
        message: `${where}: ${describeRef(refOf(obj))} appears more than once`,
        hint: 'remove the duplicate; server-side apply would apply only the last one',
      });
    seen.add(key);
  });
  return out;
}
