import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationFlag } from './duration-flag.ts';

const cases: [string, number][] = [
  ['5m', 300_000],
  ['90s', 90_000],
  ['1m30s', 90_000],
  ['1h', 3_600_000],
  ['500ms', 500],
  ['1.5s', 1500],
  [' 2m ', 120_000],
];
for (const [text, ms] of cases) {
  test(`duration flag: ${text} is ${ms} ms`, () => assert.equal(parseDurationFlag(text), ms));
}
for (const bad of ['', 'soon', '5 m', '-1s', '0s', '0', '5x', '30']) {
  test(`duration flag: "${bad}" is a usage error naming the flag`, () => {
    assert.throws(() => parseDurationFlag(bad, '--timeout'), {
      name: 'UsageError',
      message: /^--timeout /,
    });
  });
}
