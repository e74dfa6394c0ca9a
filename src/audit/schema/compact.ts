/**
 * From OpenAPI v3 (Kubernetes components or a CRD's openAPIV3Schema) to the compact form. Pure;
 * shared by the generator script and by the audit, which reads CRDs found in its input.
 */
import type { CompactSchema } from './types.ts';

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `#/components/schemas/io.k8s.api.core.v1.PodSpec` → `io.k8s.api.core.v1.PodSpec`. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

export function compactSchema(node: unknown): CompactSchema {
  if (!isNode(node)) return {};
  const out: CompactSchema = {};
  if (typeof node.$ref === 'string') out.ref = refName(node.$ref);
  // Kubernetes wraps a reference with a default or a description in allOf: [{$ref}].
  const allOf = Array.isArray(node.allOf) ? node.allOf.filter(isNode) : [];
  if (allOf.length === 1 && typeof allOf[0]?.$ref === 'string' && out.ref === undefined)
    out.ref = refName(allOf[0].$ref);
  else if (allOf.length > 0) out.allOf = allOf.map(compactSchema);
  if (typeof node.type === 'string') out.type = node.type;
  if (isNode(node.properties)) {
    out.props = {};
    for (const [key, value] of Object.entries(node.properties))
      out.props[key] = compactSchema(value);
  }
  if (Array.isArray(node.required) && node.required.length > 0)
    out.req = node.required.filter((r): r is string => typeof r === 'string');
  if (isNode(node.items)) out.items = compactSchema(node.items);
  if (isNode(node.additionalProperties)) out.addl = compactSchema(node.additionalProperties);
  else if (node.additionalProperties === true) out.open = true;
  copyConstraints(node, out);
  // An int-or-string is written as anyOf integer|string in the spec: the flag says it all.
  if (out.ios) delete out.anyOf;
  return out;
}

function copyConstraints(node: Node, out: CompactSchema): void {
  if (Array.isArray(node.enum)) out.enum = node.enum as CompactSchema['enum'];
  const alternatives = [node.oneOf, node.anyOf].find(Array.isArray) as unknown[] | undefined;
  if (alternatives) out.anyOf = alternatives.map(compactSchema);
  if (node['x-kubernetes-int-or-string'] === true || node.format === 'int-or-string')
    out.ios = true;
  if (node['x-kubernetes-preserve-unknown-fields'] === true) out.open = true;
  if (node['x-kubernetes-embedded-resource'] === true) out.embedded = true;
  if (node.nullable === true) out.nullable = true;
  if (typeof node.pattern === 'string') out.pattern = node.pattern;
  const numbers = [
    ['minimum', 'min'],
    ['maximum', 'max'],
    ['minLength', 'minLength'],
    ['maxLength', 'maxLength'],
    ['minItems', 'minItems'],
    ['maxItems', 'maxItems'],
  ] as const;
  for (const [from, to] of numbers) if (typeof node[from] === 'number') out[to] = node[from];
}

export interface CrdSchema {
  apiVersion: string;
  kind: string;
  schema: CompactSchema;
}

/** The schemas of every served version of a CustomResourceDefinition (apiextensions.k8s.io/v1). */
export function crdSchemas(crd: unknown): CrdSchema[] {
  if (!isNode(crd) || !isNode(crd.spec)) return [];
  const { group, names, versions } = crd.spec;
  if (typeof group !== 'string' || !isNode(names) || typeof names.kind !== 'string') return [];
  if (!Array.isArray(versions)) return [];
  const out: CrdSchema[] = [];
  for (const v of versions) {
    if (!isNode(v) || typeof v.name !== 'string' || v.served === false) continue;
    const schema = isNode(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isNode(schema)) continue;
    const compact = compactSchema(schema);
    // The API server adds apiVersion, kind and metadata to every custom resource.
    compact.props = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
      ...compact.props,
    };
    out.push({ apiVersion: `${group}/${v.name}`, kind: names.kind, schema: compact });
  }
  return out;
}
