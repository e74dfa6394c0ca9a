import type { Check } from '../engine/types.ts';

/** Findings come from the input layer and the engine, not from a scan of objects. */
export const invalidSuppression: Check = {
  id: 'invalid-suppression',
  severity: 'error',
  category: 'hygiene',
  inputs: 'both',
  fixable: false,
  summary: 'Suppressions name a known check and give a reason.',
  remediation:
    'Write berth.dev/ignore: "<check-id>: <reason>" (or # berth:ignore <check-id> <reason>) with an existing check id.',
  docs: `A suppression without a reason, or naming a check that does not exist (a typo), is itself a
finding and suppresses nothing, so silenced findings always carry a why.`,
  run: () => [],
};
