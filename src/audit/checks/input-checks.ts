/** Checks whose findings come from the input layer and the engine, not from a scan of objects. */
import type { Check } from '../engine/types.ts';

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

export const invalidObject: Check = {
  id: 'invalid-object',
  severity: 'error',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: 'Every Kubernetes document has a kind, an apiVersion and a metadata.name.',
  remediation: 'Give the object apiVersion, kind and metadata.name.',
  docs: `Documents without \`apiVersion\` and \`kind\` are not Kubernetes objects and are skipped (values
files, kustomization.yaml); a document that has them but no \`metadata.name\` is reported.`,
  run: () => [],
};

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
