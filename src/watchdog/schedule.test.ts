import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toCronerSchedule } from './schedule.ts';

const table: [string, string, number | undefined][] = [
  ['every 15m', '*/15 * * * *', undefined],
  ['every 10m', '*/10 * * * *', undefined],
  ['every 90m', '* * * * *', 5400],
  ['every 1h', '0 */1 * * *', undefined],
  ['every 5h', '0 * * * *', 18_000],
  ['every 1d at 09:00', '0 9 * * *', undefined],
  ['every 2d at 07:30', '30 7 * * *', 172_740],
  ['0 8 * * *', '0 8 * * *', undefined],
];
for (const [input, pattern, interval] of table)
  test(`schedule ${input}`, () => {
    const s = toCronerSchedule(input);
    assert.equal(s.pattern, pattern);
    assert.equal(s.intervalSeconds, interval);
  });
