// JSON Schemas for kubeconform, generated from the same schema berth ships
// (src/audit/schema/data/kubernetes.json, itself generated from the pinned Kubernetes OpenAPI), in
// kubeconform's file layout: <kind>[-<group>]-<version>.json, lower-case, strict (unknown fields
// are errors, as in berth and `kubectl apply --validate=strict`). Nothing is downloaded.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompactSchema, SchemaSet } from '../src/audit/schema/types.ts';

type Json = Record<string, unknown>;

function toJsonSchema(s: CompactSchema): Json {
  if (s.ref) return { $ref: `#/definitions/${s.ref}` };
  if (s.ios) return { oneOf: [{ type: 'integer' }, { type: 'string' }] };
  const out: Json = {};
  if (s.type) out.type = s.nullable ? [s.type, 'null'] : s.type;
  if (s.props) {
    out.properties = Object.fromEntries(
      Object.entries(s.props).map(([k, v]) => [k, toJsonSchema(v)]),
    );
    if (!s.open && !s.addl && !s.embedded) out.additionalProperties = false;
  }
  if (s.addl) out.additionalProperties = toJsonSchema(s.addl);
  if (s.req) out.required = s.req;
  if (s.items) out.items = toJsonSchema(s.items);
  if (s.enum) out.enum = s.enum;
  if (s.anyOf) out.anyOf = s.anyOf.map(toJsonSchema);
  if (s.allOf) out.allOf = s.allOf.map(toJsonSchema);
  if (s.pattern !== undefined) out.pattern = s.pattern;
  if (s.min !== undefined) out.minimum = s.min;
  if (s.max !== undefined) out.maximum = s.max;
  if (s.minLength !== undefined) out.minLength = s.minLength;
  if (s.maxLength !== undefined) out.maxLength = s.maxLength;
  if (s.minItems !== undefined) out.minItems = s.minItems;
  if (s.maxItems !== undefined) out.maxItems = s.maxItems;
  return out;
}

/** Writes one file per kind into `dir`; returns kubeconform's -schema-location template. */
export function writeKubeconformSchemas(set: SchemaSet, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const definitions = Object.fromEntries(
    Object.entries(set.defs).map(([name, def]) => [name, toJsonSchema(def)]),
  );
  for (const [key, root] of Object.entries(set.kinds)) {
    const [apiVersion = '', kind = ''] = key.split(' ');
    const [group, version] = apiVersion.includes('/')
      ? apiVersion.split('/')
      : [undefined, apiVersion];
    const suffix = group ? `-${group.split('.')[0]}-${version}` : `-${version}`;
    const file = join(dir, `${kind.toLowerCase()}${suffix}.json`);
    writeFileSync(file, JSON.stringify({ ...toJsonSchema(root), definitions }));
  }
  return `${dir}/{{ .ResourceKind }}{{ .KindSuffix }}.json`;
}
