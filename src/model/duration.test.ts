import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationPattern, parseDuration } from './duration.ts';

// Cases from Go's time/time_test.go (parseDurationTests), in milliseconds.
const valid: [string, number][] = [
  ['0', 0],
  ['5s', 5000],
  ['30s', 30_000],
  ['1478s', 1_478_000],
  ['-5s', -5000],
  ['+5s', 5000],
  ['-0', 0],
  ['5.0s', 5000],
  ['5.6s', 5600],
  ['5.s', 5000],
  ['.5s', 500],
  ['1.004s', 1004],
  ['10ms', 10],
  ['11us', 0.011],
  ['12µs', 0.012],
  ['13ns', 0.000013],
  ['14m', 840_000],
  ['15h', 54_000_000],
  ['3h30m', 12_600_000],
  ['10.5s4m', 250_500],
  ['1m30s', 90_000],
  ['2h45m', 9_900_000],
  ['500ms', 500],
  ['1h1m1s1ms', 3_661_001],
];
for (const [text, ms] of valid) {
  test(`duration: ${text} is ${ms} ms`, () => assert.equal(parseDuration(text), ms));
}

const invalid = [
  '',
  '3',
  '-',
  's',
  '.',
  '-.',
  '.s',
  '+.s',
  '1d',
  '5 m',
  'soon',
  '1m 30s',
  '30',
  'ms',
];
for (const text of invalid) {
  test(`duration: "${text}" is not a duration`, () => assert.equal(parseDuration(text), undefined));
}

test('durationPattern accepts the non-negative durations parseDuration reads', () => {
  const pattern = new RegExp(durationPattern);
  for (const [text, ms] of valid)
    assert.equal(
      pattern.test(text),
      ms >= 0 && !text.startsWith('+') && !text.startsWith('-'),
      text,
    );
  for (const text of invalid) assert.equal(pattern.test(text), false, text);
});
