/** The JSON Schema of the spec (draft-07, what yaml-language-server reads best), generated from the same declarations the validator uses. */
import { durationPattern } from '../../model/duration.ts';
import { SPEC_API_VERSION } from '../api-version.ts';
import type { Field, Node } from './dsl.ts';
import { kinds } from './kinds.ts';

type Json = Record<string, unknown>;

const patterns: Partial<Record<string, string>> = {
  name: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  cpu: '^(\\d+(\\.\\d+)?|\\.\\d+)m?$',
  bytes: '^(\\d+(\\.\\d+)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$',
  duration: durationPattern,
  'absolute-path': '^/',
};

function describe(node: Node): Json {
  const out: Json = { description: node.description };
  if (node.default !== undefined) out.default = node.default;
  else if (node.absent !== undefined)
    out.description = `${node.description} Default: ${node.absent}.`;
  return out;
}

function schemaOf(field: Field): Json {
  const node = field.node;
  const base = describe(node);
  switch (node.type) {
    case 'string': {
      const s: Json = { type: 'string', ...base };
      if (node.enum) s.enum = [...node.enum];
      const pattern = node.format ? patterns[node.format] : undefined;
      if (pattern) s.pattern = pattern;
      if (node.format === 'cpu' || node.format === 'bytes')
        return { ...base, anyOf: [{ type: 'string', pattern }, { type: 'number' }] };
      return s;
    }
    case 'integer':
      return {
        type: 'integer',
        ...base,
        ...(node.minimum !== undefined ? { minimum: node.minimum } : {}),
        ...(node.maximum !== undefined ? { maximum: node.maximum } : {}),
      };
    case 'boolean':
      return { type: 'boolean', ...base };
    case 'int-or-string':
      return { type: ['integer', 'string'], ...base };
    case 'any':
      return { ...base };
    case 'array':
      return {
        type: 'array',
        ...base,
        items: schemaOf(node.items),
        ...(node.minItems !== undefined ? { minItems: node.minItems } : {}),
      };
    case 'map':
      return { type: 'object', ...base, additionalProperties: schemaOf(node.values) };
    case 'object': {
      const required = Object.entries(node.fields)
        .filter(
          ([, f]) =>
            !f.optional &&
            f.node.default === undefined &&
            f.node.type !== 'object' &&
            f.node.type !== 'array' &&
            f.node.type !== 'map',
        )
        .map(([k]) => k);
      const properties = Object.fromEntries(
        Object.entries(node.fields).map(([k, f]) => [k, schemaOf(f)]),
      );
      return {
        type: 'object',
        ...base,
        properties,
        additionalProperties: false,
        ...(required.length > 0 ? { required } : {}),
      };
    }
  }
}

/** The whole schema: one definition per kind, chosen by `kind`. */
export function specJsonSchema(): Json {
  const defs = Object.fromEntries(Object.entries(kinds).map(([k, f]) => [k, schemaOf(f)]));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://berth.dev/schemas/v1alpha1.json',
    title: `berth workspace document (${SPEC_API_VERSION})`,
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    properties: { apiVersion: { const: SPEC_API_VERSION }, kind: { enum: Object.keys(kinds) } },
    allOf: Object.keys(kinds).map((k) => ({
      if: { properties: { kind: { const: k } } },
      then: { $ref: `#/definitions/${k}` },
    })),
    definitions: defs,
  };
}
