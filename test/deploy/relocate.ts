// Moving rendered objects into namespaces unique to a test or a benchmark round.
import type { KubeObject } from '../../src/model/object.ts';

/**
 * The objects with every namespace they declare renamed `<ns>-<suffix>`: namespace fields
 * (metadata, subjects, references), the Namespace objects' names, and namespace selectors on
 * `kubernetes.io/metadata.name`. Nothing else changes (labels, node selectors, names).
 */
export function relocate(objects: readonly KubeObject[], suffix: string): KubeObject[] {
  const namespaces = new Set(
    objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
  );
  const rename = (v: unknown): unknown =>
    typeof v === 'string' && namespaces.has(v) ? `${v}-${suffix}` : v;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === 'namespace' || k === 'kubernetes.io/metadata.name' ? rename(v) : walk(v);
    }
    return out;
  };
  return objects.map((o) => {
    const moved = walk(o) as KubeObject;
    if (o.kind === 'Namespace')
      moved.metadata = { ...moved.metadata, name: `${o.metadata.name}-${suffix}` };
    return moved;
  });
}
