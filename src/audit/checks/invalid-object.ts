import type { Check } from '../engine/types.ts';

/** Findings come from the input layer and the engine, not from a scan of objects. */
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
