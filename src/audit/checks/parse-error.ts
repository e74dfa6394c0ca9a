import type { Check } from '../engine/types.ts';

/** Findings come from the input layer and the engine, not from a scan of objects. */
export const parseError: Check = {
  id: 'parse-error',
  severity: 'error',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: 'Every input file parses (YAML syntax, duplicate keys).',
  remediation: 'Fix the YAML syntax at the reported line.',
  docs: `An unparseable document is reported at its line and column as a finding, and the rest of the
input is still audited — a broken file never crashes the run or hides the others.`,
  run: () => [],
};
