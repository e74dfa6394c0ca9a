/** The field reference of docs/spec.md, generated from the schema (so the docs cannot drift). */
import type { Field, Node } from './dsl.ts';
import { kinds } from './kinds.ts';

export interface FieldDoc {
  path: string;
  type: string;
  /** The default as documented: a JSON value, "required", or what absence means. */
  default: string;
  description: string;
}

function typeOf(node: Node): string {
  switch (node.type) {
    case 'string':
      return node.enum
        ? node.enum.map((e) => (e === '' ? '""' : e)).join(' | ')
        : node.format
          ? `string (${node.format})`
          : 'string';
    case 'integer':
      return node.minimum !== undefined || node.maximum !== undefined
        ? `integer (${node.minimum ?? ''}..${node.maximum ?? ''})`
        : 'integer';
    case 'boolean':
      return 'boolean';
    case 'int-or-string':
      return 'integer or string';
    case 'any':
      return 'any value';
    case 'array':
      return `list of ${node.items.node.type === 'object' ? 'objects' : typeOf(node.items.node)}`;
    case 'map':
      return `map of ${node.values.node.type === 'object' ? 'objects' : typeOf(node.values.node)}`;
    case 'object':
      return 'object';
  }
}

function defaultOf(field: Field): string {
  const node = field.node;
  if (node.default !== undefined) return `\`${JSON.stringify(node.default)}\``;
  if (field.optional) return node.absent ?? 'unset';
  if (node.type === 'object') return '(see fields)';
  return 'required';
}

/** Every field of a kind, depth first, with its documented default. */
export function fieldDocs(field: Field, path = ''): FieldDoc[] {
  const node = field.node;
  const out: FieldDoc[] = [];
  if (path !== '')
    out.push({
      path,
      type: typeOf(node),
      default: defaultOf(field),
      description: node.description,
    });
  if (node.type === 'object') {
    for (const [k, f] of Object.entries(node.fields))
      out.push(...fieldDocs(f, path === '' ? k : `${path}.${k}`));
  } else if (node.type === 'array' && node.items.node.type === 'object') {
    out.push(...fieldDocs(node.items, `${path}[]`).filter((d) => d.path !== `${path}[]`));
  } else if (node.type === 'map' && node.values.node.type === 'object') {
    out.push(...fieldDocs(node.values, `${path}.<key>`).filter((d) => d.path !== `${path}.<key>`));
  }
  return out;
}

const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function specReference(): string {
  const sections = Object.entries(kinds).map(([kind, field]) => {
    const rows = fieldDocs(field)
      .filter((d) => !['apiVersion', 'kind'].includes(d.path))
      .map(
        (d) =>
          `| \`${d.path}\` | ${escape(d.type)} | ${escape(d.default)} | ${escape(d.description)} |`,
      );
    return [
      `### ${kind}`,
      '',
      field.node.description,
      '',
      '| Field | Type | Default | Description |',
      '|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
  });
  return sections.join('\n');
}
