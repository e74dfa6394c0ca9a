/**
 * A rollback's first pass (pure, ADR 0126): each Deployment whose pod template the rollback
 * changes rolls in one step, every replica of the restored version at once (`maxSurge: 100%`,
 * its `maxUnavailable` kept), instead of the 25%-at-a-time steps its strategy declares. Once the
 * rollout is done, the declared strategy is applied again, which starts no rollout.
 */
import { groupKindOf } from '../model/group-kind.ts';
import type { KubeObject } from '../model/object.ts';
import { keyOf, toRef } from './inventory.ts';

export const fullSurge = '100%';

export interface SurgePlan {
  /** The objects of the first pass: the changed Deployments with a full surge. */
  objects: KubeObject[];
  /** The Deployments changed that way, as declared (the second pass re-applies them). */
  declared: KubeObject[];
}

type Strategy = { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } };

function strategyOf(obj: KubeObject): Strategy | undefined {
  const spec = obj.spec as { strategy?: Strategy } | undefined;
  return spec?.strategy;
}

function templateOf(obj: KubeObject | undefined): string {
  return JSON.stringify((obj?.spec as { template?: unknown } | undefined)?.template ?? null);
}

/** Whether a Deployment rolls by RollingUpdate with less than a full surge. */
function surgesPartly(obj: KubeObject): boolean {
  if (groupKindOf(obj) !== 'apps/Deployment') return false;
  const s = strategyOf(obj);
  if (s?.type !== undefined && s.type !== 'RollingUpdate') return false;
  return s?.rollingUpdate?.maxSurge !== fullSurge;
}

/**
 * The first pass for restoring `target` over `current` (the objects of the revision being
 * replaced): Deployments of both whose pod template differs get a full surge. Nothing to do: undefined.
 */
export function planSurge(
  target: readonly KubeObject[],
  current: readonly KubeObject[],
): SurgePlan | undefined {
  const before = new Map(current.map((o) => [keyOf(toRef(o)), o]));
  const declared: KubeObject[] = [];
  const objects = target.map((o) => {
    const was = before.get(keyOf(toRef(o)));
    // A Deployment the rollback creates has nothing to roll from.
    if (!was || !surgesPartly(o) || templateOf(o) === templateOf(was)) return o;
    declared.push(o);
    const s = strategyOf(o) ?? {};
    // maxUnavailable stays as declared (absent: the server's default, 25%).
    const rollingUpdate = { ...s.rollingUpdate, maxSurge: fullSurge };
    return {
      ...o,
      spec: {
        ...(o.spec as Record<string, unknown>),
        strategy: { type: 'RollingUpdate', rollingUpdate },
      },
    };
  });
  return declared.length ? { objects, declared } : undefined;
}
