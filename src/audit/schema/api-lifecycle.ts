/**
 * When an API type was deprecated and stopped being served, and what replaces it — the table
 * generated from the Kubernetes sources (data/api-lifecycle.json, scripts/gen-api-lifecycle.ts).
 * Pure lookups.
 */

export interface ApiLifecycle {
  apiVersion: string;
  kind: string;
  /** `1.14`. */
  introduced?: string;
  deprecated?: string;
  /** The first release that no longer serves it. */
  removed?: string;
  replacement?: { apiVersion: string; kind: string };
}

export interface LifecycleTable {
  source: string;
  apis: ApiLifecycle[];
}

export function minorOf(version: string | undefined): number | undefined {
  const m = version === undefined ? null : /^1\.(\d+)$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

export function indexLifecycle(table: LifecycleTable): Map<string, ApiLifecycle> {
  return new Map(table.apis.map((a) => [`${a.apiVersion} ${a.kind}`, a]));
}
