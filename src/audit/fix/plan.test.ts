import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Fix } from '../engine/types.ts';
import { planFixes } from './plan.ts';

function finding(fix: Fix, documentIndex = 0, name = 'api'): Finding {
  return {
    check: 'x',
    severity: 'error',
    file: 'f.yaml',
    line: 1,
    message: 'm',
    remediation: 'r',
    fixable: true,
    fix,
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name },
    location: { file: 'f.yaml', documentIndex, origin: 'file' },
  };
}

const set = (path: (string | number)[], value: unknown): Fix => ({
  kind: 'object',
  description: 'd',
  ops: [{ op: 'set', path, value }],
});
const apply = (text: string, fixes: Finding[]): string =>
  planFixes(fixes, new Map([['f.yaml', text]]), new Set()).files[0]?.after ?? text;

const flush = `# head
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}   # flow
spec:
  template:
    spec:
      containers:
      - name: api
        image: "x:1"   # pinned
        args: ['--a',   "b"]
`;

const indented = flush.replace(
  '      - name: api\n        image: "x:1"   # pinned\n        args',
  '        - name: api\n          image: "x:1"   # pinned\n          args',
);

const cases: [string, string, Finding[], string][] = [
  [
    'flush lists: a new key lines up with its siblings',
    flush,
    [
      finding(
        set(
          [
            'spec',
            'template',
            'spec',
            'containers',
            0,
            'securityContext',
            'allowPrivilegeEscalation',
          ],
          false,
        ),
      ),
    ],
    flush.replace(
      `        args: ['--a',   "b"]\n`,
      `        args: ['--a',   "b"]\n        securityContext:\n          allowPrivilegeEscalation: false\n`,
    ),
  ],
  [
    'indented lists: a new key lines up with its siblings',
    indented,
    [
      finding(
        set(
          [
            'spec',
            'template',
            'spec',
            'containers',
            0,
            'securityContext',
            'allowPrivilegeEscalation',
          ],
          false,
        ),
      ),
    ],
    indented.replace(
      `          args: ['--a',   "b"]\n`,
      `          args: ['--a',   "b"]\n          securityContext:\n            allowPrivilegeEscalation: false\n`,
    ),
  ],
  [
    'a pod-level key after a container list',
    flush,
    [finding(set(['spec', 'template', 'spec', 'automountServiceAccountToken'], false))],
    `${flush}      automountServiceAccountToken: false\n`,
  ],
  [
    "appending to a missing list creates it in the file's (flush) style; an equal item is not added twice",
    flush,
    [
      finding({
        kind: 'object',
        description: 'd',
        ops: [
          {
            op: 'append',
            path: ['spec', 'template', 'spec', 'volumes'],
            value: { name: 'tmp', emptyDir: {} },
            matchKey: 'name',
          },
          {
            op: 'append',
            path: ['spec', 'template', 'spec', 'volumes'],
            value: { name: 'tmp', emptyDir: { medium: 'Memory' } },
            matchKey: 'name',
          },
        ],
      }),
    ],
    `${flush}      volumes:\n      - name: tmp\n        emptyDir: {}\n`,
  ],
];

for (const [name, text, fixes, expected] of cases) {
  test(`fix: ${name}; untouched lines keep their bytes; applying twice changes nothing`, () => {
    const after = apply(text, fixes);
    assert.equal(after, expected);
    assert.equal(apply(after, fixes), after);
  });
}

test('fix: new objects are appended once, and not when they already exist', () => {
  const fix: Fix = {
    kind: 'new-object',
    description: 'd',
    objects: [
      {
        key: 'NetworkPolicy/shop/default-deny',
        value: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'default-deny', namespace: 'shop' },
        },
      },
    ],
  };
  const once =
    planFixes([finding(fix), finding(fix)], new Map([['f.yaml', flush]]), new Set()).files[0]
      ?.after ?? '';
  assert.equal(once.split('kind: NetworkPolicy').length, 2);
  assert.ok(once.startsWith(flush));
  assert.equal(
    planFixes(
      [finding(fix)],
      new Map([['f.yaml', flush]]),
      new Set(['NetworkPolicy/shop/default-deny']),
    ).files.length,
    0,
  );
});

test('fix: documents are found by identity when indexes differ, and files with syntax errors are left alone', () => {
  const two = `${flush}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n`;
  const after = apply(two, [finding(set(['spec', 'replicas'], 2), 0, 'web')]);
  assert.ok(after.endsWith('  namespace: shop\nspec:\n  replicas: 2\n'), after);
  const broken = `${flush}---\na: [1, 2\n`;
  assert.equal(apply(broken, [finding(set(['spec', 'replicas'], 2))]), broken);
});
