/**
 * Token budgets, pure: per incident and per UTC day. State in, decision or new state out; the
 * caller keeps the state (in memory, or with the watchdog's incident store).
 */

export interface BudgetState {
  /** UTC day the counters belong to, `YYYY-MM-DD`. */
  day: string;
  usedToday: number;
  /** Tokens used today per incident fingerprint. */
  perIncident: Record<string, number>;
}

export interface BudgetLimits {
  incidentTokens: number;
  dailyTokens: number;
}

export type BudgetDecision = { allow: true } | { allow: false; why: string };

export function emptyBudget(now: number): BudgetState {
  return { day: dayOf(now), usedToday: 0, perIncident: {} };
}

/** Rough token count of a text: four characters a token, rounded up (no tokenizer download). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Whether a call that may cost `cost` tokens fits both budgets. */
export function checkBudget(
  state: BudgetState,
  limits: BudgetLimits,
  fingerprint: string,
  cost: number,
  now: number,
): BudgetDecision {
  const s = rollover(state, now);
  const used = s.perIncident[fingerprint] ?? 0;
  if (used + cost > limits.incidentTokens)
    return {
      allow: false,
      why: `incident budget: ${used} + ${cost} > ${limits.incidentTokens} tokens`,
    };
  if (s.usedToday + cost > limits.dailyTokens)
    return {
      allow: false,
      why: `daily budget: ${s.usedToday} + ${cost} > ${limits.dailyTokens} tokens`,
    };
  return { allow: true };
}

/** The state after a call that used `tokens`. */
export function spend(
  state: BudgetState,
  fingerprint: string,
  tokens: number,
  now: number,
): BudgetState {
  const s = rollover(state, now);
  return {
    day: s.day,
    usedToday: s.usedToday + tokens,
    perIncident: { ...s.perIncident, [fingerprint]: (s.perIncident[fingerprint] ?? 0) + tokens },
  };
}

function rollover(state: BudgetState, now: number): BudgetState {
  return state.day === dayOf(now) ? state : emptyBudget(now);
}

function dayOf(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}
