/**
 * Seed 003's schedule forms for croner: 5-field cron as is, `every <n>m|h|d` (with ` at HH:MM`
 * for days) as a cron pattern when the interval divides evenly, else a per-minute pattern with
 * croner's minimum interval. Pure; the runner hands the result to croner.
 */
export interface CronerSchedule {
  pattern: string;
  /** croner `interval` (seconds between runs), when the pattern alone cannot say it. */
  intervalSeconds?: number;
}

const EVERY = /^every (\d+)(m|h|d)(?: at (\d\d):(\d\d))?$/;

export function toCronerSchedule(schedule: string): CronerSchedule {
  const m = EVERY.exec(schedule.trim());
  if (!m) return { pattern: schedule.trim() };
  const n = Number(m[1]);
  const unit = m[2];
  if (unit === 'm')
    return n < 60 && 60 % n === 0
      ? { pattern: `*/${n} * * * *` }
      : { pattern: '* * * * *', intervalSeconds: n * 60 };
  if (unit === 'h')
    return n < 24 && 24 % n === 0
      ? { pattern: `0 */${n} * * *` }
      : { pattern: '0 * * * *', intervalSeconds: n * 3600 };
  const hour = Number(m[3] ?? 0);
  const minute = Number(m[4] ?? 0);
  return n === 1
    ? { pattern: `${minute} ${hour} * * *` }
    : { pattern: `${minute} ${hour} * * *`, intervalSeconds: n * 86_400 - 60 };
}
