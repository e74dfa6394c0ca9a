/** Safe readers over loosely typed object fields: a malformed status never throws. */

export function fieldAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function numberAt(obj: unknown, path: string, fallback: number): number {
  const v = fieldAt(obj, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function stringAt(obj: unknown, path: string): string | undefined {
  const v = fieldAt(obj, path);
  return typeof v === 'string' ? v : undefined;
}

export function recordAt(obj: unknown, path: string): Record<string, unknown> | undefined {
  const v = fieldAt(obj, path);
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

export function arrayAt(obj: unknown, path: string): unknown[] {
  const v = fieldAt(obj, path);
  return Array.isArray(v) ? (v as unknown[]) : [];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export function conditionsOf(obj: unknown): Condition[] {
  const out: Condition[] = [];
  for (const c of arrayAt(obj, 'status.conditions')) {
    const type = stringAt(c, 'type');
    const status = stringAt(c, 'status');
    if (type === undefined || status === undefined) continue;
    const cond: Condition = { type, status };
    const reason = stringAt(c, 'reason');
    const message = stringAt(c, 'message');
    if (reason !== undefined) cond.reason = reason;
    if (message !== undefined) cond.message = message;
    out.push(cond);
  }
  return out;
}

export function conditionOf(obj: unknown, type: string): Condition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

/** `reason: message`, or whichever of the two exists. */
export function describeCondition(c: Condition): string {
  if (c.reason && c.message) return `${c.reason}: ${c.message}`;
  return c.message ?? c.reason ?? `${c.type}=${c.status}`;
}
