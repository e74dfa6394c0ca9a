import { podSecurityLabel } from '../engine/pod-security.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf, set } from './shared/describe.ts';

export const namespacePodSecurity: Check = {
  id: 'namespace-pod-security',
  severity: 'warning',
  category: 'pod-security',
  inputs: 'manifests',
  fixable: true,
  summary: 'Namespaces carry a Pod Security enforce label at level restricted.',
  remediation:
    'Label the Namespace pod-security.kubernetes.io/enforce: restricted and enforce-version with the cluster minor (or latest).',
  docs: `Without an enforce label the cluster default applies, usually \`privileged\`: nothing is checked at
admission. The fix adds \`enforce: restricted\` and \`enforce-version: latest\` to a namespace that
has no enforce label; a namespace that deliberately enforces \`baseline\` or \`privileged\` is
reported but not changed.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const ns of index.namespaces.values()) {
      const labels = ns.object.metadata.labels ?? {};
      const level = labels[podSecurityLabel.enforce];
      if (level === 'restricted') continue;
      const finding: RawFinding = {
        target: ns,
        path: ['metadata', 'labels'],
        message:
          level === undefined
            ? `${nameOf(ns)} has no Pod Security enforce label`
            : `${nameOf(ns)} enforces Pod Security "${level}", not "restricted"`,
      };
      if (level === undefined) {
        const ops = [set(['metadata', 'labels', podSecurityLabel.enforce], 'restricted')];
        if (labels[podSecurityLabel.enforceVersion] === undefined)
          ops.push(set(['metadata', 'labels', podSecurityLabel.enforceVersion], 'latest'));
        finding.fix = { kind: 'object', description: 'enforce Pod Security restricted', ops };
      } else finding.unfixableReason = 'the level was set on purpose';
      out.push(finding);
    }
    return out;
  },
};
