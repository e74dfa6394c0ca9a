/** What a revision records besides its objects: the images it runs and a digest of its content. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../model/canonical-json.ts';
import { podSpecOf } from '../model/pod-template.ts';
import type { KubeObject } from '../model/object.ts';

/** Every container image of every workload, sorted and unique. */
export function imagesOf(objects: readonly KubeObject[]): string[] {
  const out = new Set<string>();
  for (const obj of objects) {
    const spec = podSpecOf(obj);
    for (const field of ['initContainers', 'containers'] as const) {
      const list = spec?.[field];
      if (!Array.isArray(list)) continue;
      for (const c of list as { image?: unknown }[])
        if (typeof c.image === 'string') out.add(c.image);
    }
  }
  return [...out].sort();
}

/** `sha256:<hex>` of the objects as canonical JSON (keys sorted; order of objects kept). */
export function digestOf(objects: readonly KubeObject[]): string {
  return `sha256:${createHash('sha256').update(canonicalJson(objects)).digest('hex')}`;
}
