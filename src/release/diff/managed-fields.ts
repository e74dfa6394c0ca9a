/**
 * Fields another manager owns that a forced apply takes back (pure): read from the
 * `managedFields` of the live object and of the server's dry-run answer (ADR 0068).
 */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

export interface TakenBack {
  /** The manager that owned the fields (`kubectl-edit`, `kube-controller-manager`...). */
  manager: string;
  /** Readable paths: `.spec.replicas`, `.spec.template.spec.containers[name=api].image`. */
  fields: string[];
}

/** The leaf paths of a `fieldsV1` set, readable. */
export function fieldPaths(fieldsV1: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    const keys = Object.keys(node).filter((k) => k !== '.');
    if (keys.length === 0 || '.' in node) {
      if (prefix) out.push(prefix);
    }
    for (const k of keys) {
      const child = node[k];
      const next = prefix + readableStep(k);
      if (child && typeof child === 'object') walk(child as Record<string, unknown>, next);
      else out.push(next);
    }
  };
  if (fieldsV1) walk(fieldsV1, '');
  return out;
}

function readableStep(step: string): string {
  const kind = step.slice(0, 2);
  const rest = step.slice(2);
  if (kind === 'f:') return `.${rest}`;
  if (kind === 'i:') return `[${rest}]`;
  if (kind === 'v:') return `[=${rest}]`;
  if (kind === 'k:') {
    try {
      const key = JSON.parse(rest) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',')}]`;
    } catch {
      return `[${rest}]`;
    }
  }
  return `.${step}`;
}

/**
 * For each other manager: the fields it owned on the live object that it no longer owns after
 * `manager`'s apply (the server moved them to `manager`).
 */
export function fieldsTakenBack(
  live: readonly ManagedFieldsEntry[] | undefined,
  after: readonly ManagedFieldsEntry[] | undefined,
  manager: string,
): TakenBack[] {
  const owned = (entries: readonly ManagedFieldsEntry[] | undefined, who: string) =>
    new Set(
      (entries ?? [])
        .filter((e) => e.manager === who && !e.subresource)
        .flatMap((e) => fieldPaths(e.fieldsV1)),
    );
  const mine = owned(after, manager);
  const others = [...new Set((live ?? []).map((e) => e.manager ?? ''))].filter(
    (m) => m !== '' && m !== manager,
  );
  const out: TakenBack[] = [];
  for (const other of others.sort()) {
    const still = owned(after, other);
    const fields = [...owned(live, other)].filter((p) => !still.has(p) && mine.has(p)).sort();
    if (fields.length) out.push({ manager: other, fields });
  }
  return out;
}
