import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from './duration.ts';

const cases: [string, number][] = [
  ['5m', 300_000],
  ['90s', 90_000],
  ['1m30s', 90_000],
  ['1h', 3_600_000],
  ['500ms', 500],
  ['1.5s', 1500],
  ['30', 30_000],
];
for (const [text, ms] of cases) {
  test(`duration: ${text} is ${ms} ms`, () => assert.equal(parseDuration(text), ms));
}
for (const bad of ['', 'soon', '5 m', '-1s', '0s', '5x']) {
  test(`duration: "${bad}" is a usage error`, () => {
    assert.throws(() => parseDuration(bad), { name: 'UsageError', message: /--timeout/ });
  });
}
