import { asSelector, matchesSelector } from '../engine/index-objects.ts';
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
match its template; finding it before apply saves a round trip. Not fixed automatically (which
side is right?).`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const w of index.workloads) {
      if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(w.target.object.kind))
        continue;
      const selector = asSelector(get(w.target.object, ['spec', 'selector']));
      if (selector && matchesSelector(selector, w.meta.labels)) continue;
      out.push({
        target: w.target,
        path: ['spec', 'selector'],
        message: `${nameOf(w.target)}: spec.selector ${selector ? 'does not match' : 'is missing for'} the pod template labels`,
      });
    }
    return out;
  },
};
