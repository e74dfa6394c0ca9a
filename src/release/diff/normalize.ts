/**
 * What a diff leaves out and hides (pure): server bookkeeping that changes on every write, the
 * status, and the values of Secrets (ADR 0068).
 */
import type { KubeObject } from '../../model/object.ts';

/** Metadata the server maintains: never part of what berth manages. */
const noisyMetadata = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
] as const;

/** Annotations written by controllers or other tools, not by the user's spec. */
const noisyAnnotations = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
] as const;

/** A copy without server bookkeeping and status, ready to compare. */
export function stripNoise(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  delete copy.status;
  const meta = copy.metadata;
  for (const f of noisyMetadata) delete meta[f];
  if (meta.annotations) {
    for (const a of noisyAnnotations) delete meta.annotations[a];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  }
  return copy;
}

export const mask = '***';

/** Whether `obj` holds secret values in `data`/`stringData`. */
export function isSecret(obj: KubeObject | undefined): boolean {
  return obj?.kind === 'Secret' && obj.apiVersion === 'v1';
}

/**
 * The pair with Secret values replaced, as `kubectl diff` does: `***` when a value is the same
 * on both sides, `*** (before)` and `*** (after)` when it changed, so a diff shows which keys
 * change but never their values.
 */
export function maskSecretPair(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): [KubeObject | undefined, KubeObject | undefined] {
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const b = before && structuredClone(before);
  const a = after && structuredClone(after);
  for (const field of ['data', 'stringData'] as const) {
    const bv = b?.[field] as Record<string, unknown> | undefined;
    const av = a?.[field] as Record<string, unknown> | undefined;
    const keys = new Set([...Object.keys(bv ?? {}), ...Object.keys(av ?? {})]);
    for (const key of keys) {
      const changed = bv?.[key] !== av?.[key];
      if (bv && key in bv) bv[key] = changed && av && key in av ? `${mask} (before)` : mask;
      if (av && key in av) av[key] = changed && bv && key in bv ? `${mask} (after)` : mask;
    }
  }
  return [b, a];
}
