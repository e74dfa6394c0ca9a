import { isEverything, matchesLabels } from '../../model/selector.ts';
import { selectorAt } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const selectorMismatch: Check = {
  id: 'selector-mismatch',
  severity: 'error',
  category: 'hygiene',
  inputs: 'manifests',
  fixable: false,
  summary: "A controller's spec.selector matches its own pod template labels.",
  remediation: 'Make spec.selector.matchLabels a subset of spec.template.metadata.labels.',
  docs: `The API server rejects a Deployment, StatefulSet, DaemonSet or ReplicaSet whose selector does not
match its template; finding it before apply saves a round trip. A malformed selector is left to
\`invalid-selector\` and \`schema-validation\`, which say what is wrong with it. Not fixed
automatically (which side is right?).`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(w.target.object.kind))
        continue;
      const value = get(w.target.object, ['spec', 'selector']);
      const selector = selectorAt(value);
      // apps/v1 rejects an empty selector as it rejects a missing one.
      const problem =
        value === undefined || value === null
          ? 'is missing for'
          : !selector
            ? undefined // malformed: invalid-selector or schema-validation says why
            : isEverything(selector)
              ? 'is empty (apps/v1 rejects it) instead of matching'
              : matchesLabels(selector, w.meta.labels)
                ? undefined
                : 'does not match';
      if (problem === undefined) continue;
      out.push({
        target: w.target,
        path: ['spec', 'selector'],
        message: `${nameOf(w.target)}: spec.selector ${problem} the pod template labels`,
      });
    }
    return out;
  },
};
