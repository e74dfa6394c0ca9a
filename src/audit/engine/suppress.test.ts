import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlobs } from './glob.ts';
import { parseQuantity } from '../../model/quantity.ts';
import { isActive, parseSuppressions } from './suppress.ts';

const known = new Set(['image-tag', 'host-port']);

test('suppressions: entries, reasons, expiry, problems', () => {
  const { suppressions, problems } = parseSuppressions(
    'image-tag: pinned by digest upstream;\nhost-port: node exporter (until 2026-12-31); host-port; nope: x',
    known,
  );
  assert.deepEqual(suppressions, [
    { check: 'image-tag', reason: 'pinned by digest upstream' },
    { check: 'host-port', reason: 'node exporter', until: '2026-12-31' },
  ]);
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      'berth.dev/ignore for "host-port" has no reason; write "host-port: <why>"',
      'berth.dev/ignore names unknown check "nope"',
    ],
  );
  const until = suppressions[1];
  assert.ok(until);
  assert.equal(isActive(until, '2026-12-31'), true);
  assert.equal(isActive(until, '2027-01-01'), false);
});

test('globs: ** folders, * within a segment, braces, classes, bare names at any depth', () => {
  const cases: [string, string, boolean][] = [
    ['vendor/**', 'vendor/a/b.yaml', true],
    ['vendor/**', 'src/vendor/a.yaml', false],
    ['charts/*/templates/**', 'charts/redis/templates/sts.yaml', true],
    ['charts/*/templates/**', 'charts/redis/values.yaml', false],
    ['*.generated.yaml', 'deep/x.generated.yaml', true],
    ['third_party', 'a/third_party/b.yaml', true],
    ['charts/{redis,nats}/**', 'charts/nats/templates/sts.yaml', true],
    ['charts/{redis,nats}/**', 'charts/app/templates/sts.yaml', false],
    ['k8s/[ab].yaml', 'k8s/b.yaml', true],
    ['k8s/[ab].yaml', 'k8s/c.yaml', false],
    ['*.{yaml,yml}', 'x/y/z.yml', true],
    ['./vendor/', 'vendor/a.yaml', true],
    ['.hidden/**', '.hidden/a.yaml', true],
  ];
  for (const [glob, path, expected] of cases)
    assert.equal(compileGlobs([glob])(path), expected, `${glob} ~ ${path}`);
  assert.equal(compileGlobs([])('a.yaml'), false);
});

test('quantities', () => {
  const cases: [unknown, number | undefined][] = [
    ['64Mi', 64 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['500m', 0.5],
    ['1.5G', 1.5e9],
    [3, 3],
    ['lots', undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of cases)
    assert.equal(parseQuantity(input), expected, String(input));
});
