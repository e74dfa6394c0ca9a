/** Shared by the PDB and HPA checks: which HPA scales a workload, and which PDBs select it. */
import {
  allOfKind,
  namespaceOf,
  selectorAt,
  selectWorkloads,
  type AuditIndex,
} from '../../engine/index-objects.ts';
import { get, type Workload } from '../../engine/pods.ts';
import type { LocatedObject } from '../../engine/types.ts';

const hpaMemo = new WeakMap<AuditIndex, Map<string, LocatedObject>>();
const pdbMemo = new WeakMap<AuditIndex, Map<Workload, LocatedObject[]>>();

/** `namespace/Kind/name` → the HPA or ScaledObject scaling it (computed once per audit). */
export function hpasByTarget(index: AuditIndex): Map<string, LocatedObject> {
  const cached = hpaMemo.get(index);
  if (cached) return cached;
  const map = new Map<string, LocatedObject>();
  hpaMemo.set(index, map);
  const scalers = [
    ...allOfKind(index, 'HorizontalPodAutoscaler'),
    ...allOfKind(index, 'ScaledObject'),
  ];
  for (const hpa of scalers) {
    const rawKind = get(hpa.object, ['spec', 'scaleTargetRef', 'kind']);
    const kind = typeof rawKind === 'string' ? rawKind : 'Deployment';
    const name = get(hpa.object, ['spec', 'scaleTargetRef', 'name']);
    map.set(`${namespaceOf(hpa)}/${String(kind)}/${String(name)}`, hpa);
  }
  return map;
}

export function hpaOf(hpas: Map<string, LocatedObject>, w: Workload): LocatedObject | undefined {
  return hpas.get(`${w.namespace}/${w.target.object.kind}/${w.target.object.metadata.name}`);
}

/**
 * The smallest replica count the workload runs with while it runs at all: the HPA's minReplicas
 * (default 1), a KEDA ScaledObject's minReplicaCount (default 0, counted as 1: a pool scaled to
 * zero has nothing to evict), berth's autoscaler's `berth.dev/min-replicas` annotation (same rule),
 * or spec.replicas.
 */
export function minReplicas(hpas: Map<string, LocatedObject>, w: Workload): number | undefined {
  const hpa = hpaOf(hpas, w);
  if (hpa) {
    const keda = hpa.object.kind === 'ScaledObject';
    const min = get(hpa.object, ['spec', keda ? 'minReplicaCount' : 'minReplicas']);
    return Math.max(1, typeof min === 'number' ? min : keda ? 0 : 1);
  }
  // berth's own autoscaler (engine berth) records its bounds on the Deployment (ADR 0085).
  const a = w.target.object.metadata.annotations;
  if (a?.['berth.dev/autoscaler'] === 'berth') {
    const min = Number(a['berth.dev/min-replicas']);
    if (Number.isInteger(min)) return Math.max(1, min);
  }
  return w.replicas;
}

export function pdbsSelecting(index: AuditIndex): Map<Workload, LocatedObject[]> {
  const cached = pdbMemo.get(index);
  if (cached) return cached;
  const map = new Map<Workload, LocatedObject[]>();
  pdbMemo.set(index, map);
  for (const pdb of allOfKind(index, 'PodDisruptionBudget')) {
    // policy/v1: an absent selector selects no pod, `{}` every pod of the namespace.
    const selector = selectorAt(get(pdb.object, ['spec', 'selector']));
    if (!selector) continue;
    for (const w of selectWorkloads(index, namespaceOf(pdb), selector)) {
      const list = map.get(w) ?? [];
      list.push(pdb);
      map.set(w, list);
    }
  }
  return map;
}
