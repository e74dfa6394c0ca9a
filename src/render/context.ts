/** What every renderer needs: the workspace, the platform, label helpers and stable hashing. */
import { hash } from 'node:crypto';
import type { ObjectMeta } from '../model/object.ts';
import type { Component, PlatformSpec, Workspace } from '../spec/workspace.ts';

export interface RenderContext {
  ws: Workspace;
  platform: PlatformSpec;
  platformName: string;
  components: ReadonlyMap<string, Component>;
  /** Labels per owner, computed once per render and shared by that owner's objects (never mutate). */
  labelCache: Map<string, Record<string, string>>;
  /** Files each component mounts, computed once per render. */
  filesCache: Map<string, Record<string, string>>;
}

export function contextOf(ws: Workspace): RenderContext {
  return {
    ws,
    platform: ws.platform.spec,
    platformName: ws.platform.name,
    components: new Map(ws.components.map((c) => [c.name, c])),
    labelCache: new Map(),
    filesCache: new Map(),
  };
}

/** `app.kubernetes.io/component` per kind. */
const roles = {
  Agent: 'agent',
  AgentPool: 'agent-pool',
  Service: 'service',
  Store: 'store',
} as const;

/** Labels of every object owned by `owner` (a component name, or the platform name for shared objects). */
export function labelsOf(
  ctx: RenderContext,
  owner: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...ctx.ws.platform.labels,
    ...extra,
    'app.kubernetes.io/name': owner,
    'app.kubernetes.io/part-of': ctx.platformName,
    'app.kubernetes.io/managed-by': 'berth',
    'berth.dev/component': owner,
  };
}

export function componentLabels(ctx: RenderContext, c: Component): Record<string, string> {
  let labels = ctx.labelCache.get(c.name);
  if (!labels) {
    const role = c.kind === 'Service' ? c.spec.role : roles[c.kind];
    // Shared by every object of the component (render speed): frozen, so a caller that edits one
    // object's labels in place fails loudly instead of changing its siblings.
    labels = Object.freeze(
      labelsOf(ctx, c.name, { ...c.labels, 'app.kubernetes.io/component': role }),
    );
    ctx.labelCache.set(c.name, labels);
  }
  return labels;
}

/** Metadata of a component's own object: its name, namespace, labels, and annotations (sorted) if any. */
export function componentMeta(
  ctx: RenderContext,
  c: Component,
  annotations: Record<string, string> = {},
): ObjectMeta {
  const meta: ObjectMeta = {
    name: c.name,
    namespace: c.namespace,
    labels: componentLabels(ctx, c),
  };
  if (Object.keys(annotations).length > 0) meta.annotations = sortedRecord(annotations);
  return meta;
}

/** The pod selector of a component (stable: never includes user labels). */
export function selectorOf(ctx: RenderContext, c: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': c.name, 'app.kubernetes.io/part-of': ctx.platformName };
}

/** A short, stable content hash (sha256, first 16 hex digits) of any JSON value. */
export function hashOf(value: unknown): string {
  return hash('sha256', stableJson(value), 'hex').slice(0, 16);
}

/**
 * JSON with object keys sorted (built in one pass, without intermediate arrays of parts). Unlike
 * `model/canonical-json.ts`, a property whose value is undefined is written as null: the config
 * hashes already rendered (and recorded in golden files and clusters) depend on it, and a changed
 * hash would restart every pod on the next apply.
 */
function stableJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + stableJson(value[i]);
    return out + ']';
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      out += (i > 0 ? ',' : '') + JSON.stringify(k) + ':' + stableJson(record[k]);
    }
    return out + '}';
  }
  return JSON.stringify(value) ?? 'null';
}

/** Object keys sorted, as entries (for env lists and ConfigMap data in a stable order). */
export function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(sortedEntries(record));
}
