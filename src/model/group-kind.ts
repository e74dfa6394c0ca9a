/** API groups and group/kind keys, the way Kubernetes names a kind independently of its version. */

/** The API group of an `apiVersion`: `apps` for `apps/v1`, empty for the core group (`v1`). */
export function groupOf(apiVersion: string): string {
  if (typeof apiVersion !== 'string') return ''; // objects from users' YAML may lack one
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * `apps/Deployment`, `batch/Job`; just `Service` for the core group. The key berth's kind
 * tables (readiness rules, apply phases, pod template paths) use.
 */
export function groupKindOf(obj: { apiVersion: string; kind: string }): string {
  const group = groupOf(obj.apiVersion);
  return group === '' ? obj.kind : `${group}/${obj.kind}`;
}

/** `Deployment.apps`, `Service`: the GroupKind string kubectl writes (applyset annotations). */
export function groupKindString(obj: { apiVersion: string; kind: string }): string {
  const group = groupOf(obj.apiVersion);
  return group === '' ? obj.kind : `${obj.kind}.${group}`;
}

/** The inverse of `groupKindString`: `{group, kind}`. */
export function parseGroupKind(text: string): { group: string; kind: string } {
  const dot = text.indexOf('.');
  return dot < 0
    ? { group: '', kind: text }
    : { group: text.slice(dot + 1), kind: text.slice(0, dot) };
}
