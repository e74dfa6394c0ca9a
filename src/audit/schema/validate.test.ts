import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crdSchemas } from './compact.ts';
import type { CompactSchema } from './types.ts';
import { validateAgainst } from './validate.ts';

const defs: Record<string, CompactSchema> = {
  Quantity: { anyOf: [{ type: 'string' }, { type: 'number' }] },
  Port: {
    type: 'object',
    req: ['port'],
    props: { port: { type: 'integer' }, protocol: { type: 'string', enum: ['TCP', 'UDP'] } },
  },
};
const root: CompactSchema = {
  type: 'object',
  props: {
    name: { type: 'string' },
    ports: { type: 'array', items: { ref: 'Port' } },
    limits: { type: 'object', addl: { ref: 'Quantity' } },
    target: { ios: true },
    extra: { type: 'object', open: true, props: { known: { type: 'boolean' } } },
  },
};

const cases: [string, unknown, string[]][] = [
  ['valid', { name: 'a', ports: [{ port: 80 }], limits: { cpu: 1, memory: '1Gi' } }, []],
  ['null is unset', { name: null, ports: null }, []],
  ['wrong type', { name: 5 }, ['name: must be a string, not 5']],
  ['missing required', { ports: [{}] }, ['ports.0: missing required field "port"']],
  [
    'enum',
    { ports: [{ port: 1, protocol: 'ICMP' }] },
    ['ports.0.protocol: must be one of TCP, UDP, not "ICMP"'],
  ],
  ['unknown field', { nmae: 'a' }, ['nmae: unknown field "nmae"']],
  ['open object keeps unknown fields', { extra: { anything: 1, known: true } }, []],
  [
    'open object still types known fields',
    { extra: { known: 'yes' } },
    ['extra.known: must be a boolean, not "yes"'],
  ],
  ['int-or-string', { target: 'http' }, []],
  ['int-or-string wrong', { target: [1] }, ['target: must be an integer or a string, not a list']],
  ['quantity forms', { limits: { cpu: true } }, ['limits.cpu: must be string or number, not true']],
  ['integer vs number', { ports: [{ port: 1.5 }] }, ['ports.0.port: must be an integer, not 1.5']],
];

for (const [name, value, expected] of cases) {
  test(`validate: ${name}`, () => {
    const errors = validateAgainst(value, root, defs).map(
      (e) => `${e.path.join('.')}: ${e.message}`,
    );
    assert.deepEqual(errors, expected);
  });
}

test('errors per object are capped', () => {
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`x${i}`, 1]));
  assert.equal(validateAgainst(many, root, defs, { maxErrors: 5 }).length, 5);
});

test('CRD constraints: pattern, minimum, lengths, items', () => {
  const [crd] = crdSchemas({
    spec: {
      group: 'example.com',
      names: { kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { type: 'integer', minimum: 1, maximum: 10 },
                    code: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
                    tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
                    port: {
                      'x-kubernetes-int-or-string': true,
                      anyOf: [{ type: 'integer' }, { type: 'string' }],
                    },
                  },
                },
              },
            },
          },
        },
        { name: 'v0', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  });
  assert.ok(crd);
  assert.equal(crd.apiVersion, 'example.com/v1');
  const errors = validateAgainst(
    {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { size: 11, code: 'ABCDEF', tags: [], port: 'x' },
    },
    crd.schema,
    {},
  ).map((e) => `${e.path.join('.')}: ${e.message}`);
  assert.deepEqual(errors, [
    'spec.size: must be at most 10',
    'spec.code: must have at most 5 characters',
    'spec.code: must match ^[a-z]+$, not "ABCDEF"',
    'spec.tags: must have at least 1 item',
  ]);
});

test('an alias bomb (a shared value expanding to millions) stops at the budget with one error', () => {
  let bomb: unknown = { x: 'leaf' };
  for (let i = 0; i < 7; i++) bomb = Array.from({ length: 9 }, () => bomb);
  const open: CompactSchema = {
    type: 'object',
    props: {
      deep: {
        type: 'array',
        items: {
          type: 'array',
          items: {
            type: 'array',
            items: {
              type: 'array',
              items: {
                type: 'array',
                items: {
                  type: 'array',
                  items: {
                    type: 'array',
                    items: { type: 'object', props: { x: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
  const started = Date.now();
  const errors = validateAgainst({ deep: bomb }, open, {});
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /too large to validate/);
  assert.ok(Date.now() - started < 2000);
});
