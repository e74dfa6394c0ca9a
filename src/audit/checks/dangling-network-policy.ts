import { isEverything } from '../../model/selector.ts';
import { allOfKind, namespaceOf, podSelectorOf, selectWorkloads } from '../engine/index-objects.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const danglingNetworkPolicy: Check = {
  id: 'dangling-network-policy',
  severity: 'warning',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: "A NetworkPolicy's podSelector matches the pods of some workload in the input.",
  remediation: 'Fix the podSelector labels so the policy selects the pods it was written for.',
  docs: `A policy that selects nothing protects nothing, and the pods it was meant for are open. An empty
podSelector (the whole namespace) always passes. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const np of allOfKind(index, 'NetworkPolicy')) {
      const selector = podSelectorOf(np);
      if (!selector || isEverything(selector)) continue;
      if (selectWorkloads(index, namespaceOf(np), selector).length > 0) continue;
      out.push({
        target: np,
        path: ['spec', 'podSelector'],
        message: `${nameOf(np)} selects no pod in the input`,
      });
    }
    return out;
  },
};
