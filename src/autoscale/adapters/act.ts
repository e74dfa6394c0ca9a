/** The autoscaler's only writes: pod-deletion-cost annotations, then the Deployment's /scale. */
import type { KubeApi } from '../../kube/api.ts';
import type { KubeObject, ObjectRef } from '../../model/object.ts';
import { planDeletionCosts, podViews } from '../idle.ts';
import { DELETION_COST_ANNOTATION, FIELD_MANAGER } from '../names.ts';

export interface ScaleWrite {
  ref: ObjectRef;
  from: number;
  to: number;
  /** The pool's pods (for a scale-down). */
  pods: readonly KubeObject[];
  deadline: number;
  signal?: AbortSignal;
}

/** Marks the idle pods that go (scale-down), then writes /scale. Returns the victims chosen. */
export async function applyScale(api: KubeApi, w: ScaleWrite): Promise<string[]> {
  const bounds = { deadline: w.deadline, ...(w.signal ? { signal: w.signal } : {}) };
  let victims: string[] = [];
  if (w.to < w.from) {
    const plan = planDeletionCosts(podViews(w.pods), w.from - w.to);
    victims = plan.victims;
    await Promise.all(
      [...plan.patches].map(([name, cost]) =>
        api.patch(
          { apiVersion: 'v1', kind: 'Pod', namespace: w.ref.namespace ?? '', name },
          { metadata: { annotations: { [DELETION_COST_ANNOTATION]: cost } } },
          { ...bounds, type: 'merge', fieldManager: FIELD_MANAGER },
        ),
      ),
    );
  }
  await api.patchScale(w.ref, w.to, { ...bounds, fieldManager: FIELD_MANAGER });
  return victims;
}
