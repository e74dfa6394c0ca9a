// Helpers for the release integration tests: a release context on the test cluster over deploy's
// real applier, and a deep "does the live object hold every field of the target" comparison.
import type { TestContext } from 'node:test';
import { applyObjects } from '../../src/deploy/apply.ts';
import type { KubeApi } from '../../src/kube/api.ts';
import type { KubeObject } from '../../src/model/object.ts';
import type { ReleaseContext } from '../../src/release/adapters/ship.ts';
import type { ReleaseRef } from '../../src/release/identity.ts';
import { forceUnlock } from '../../src/release/adapters/lease.ts';

export function clusterContext(api: KubeApi, release: ReleaseRef): ReleaseContext {
  return {
    api,
    apply: (objects, o) => applyObjects(api, objects, o),
    release,
    by: 'test@sandbox',
    berthVersion: '0.1.0',
  };
}

/** The release objects berth keeps (revisions, parent, lock) are deleted with its namespace. */
export function releaseCleanUp(t: TestContext, api: KubeApi, release: ReleaseRef): void {
  t.after(async () => {
    await forceUnlock(api, release).catch(() => undefined);
  });
}

/**
 * The paths where `live` differs from `target` for the fields `target` sets (a subset check:
 * fields the server or controllers add are ignored; lists compare element by element).
 */
export function fieldsDiffering(target: unknown, live: unknown, path = ''): string[] {
  // The API server omits zero values (`initialDelaySeconds: 0`, `false`, `""`): absent is equal.
  if (live === undefined && isZero(target)) return [];
  if (Array.isArray(target)) {
    if (!Array.isArray(live) || live.length !== target.length) return [path || '.'];
    return target.flatMap((t, i) => fieldsDiffering(t, live[i], `${path}[${i}]`));
  }
  if (target !== null && typeof target === 'object') {
    if (live === null || typeof live !== 'object') return [path || '.'];
    return Object.entries(target as Record<string, unknown>).flatMap(([k, v]) =>
      fieldsDiffering(v, (live as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return target === live ? [] : [`${path}: ${JSON.stringify(target)} != ${JSON.stringify(live)}`];
}

function isZero(v: unknown): boolean {
  if (v === 0 || v === false || v === '' || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

export function imageOf(obj: KubeObject | undefined): string | undefined {
  const spec = obj?.spec as
    { template?: { spec?: { containers?: { image?: string }[] } } } | undefined;
  return spec?.template?.spec?.containers?.[0]?.image;
}
