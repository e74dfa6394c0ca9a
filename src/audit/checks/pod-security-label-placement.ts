import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const podSecurityLabelPlacement: Check = {
  id: 'pod-security-label-placement',
  severity: 'error',
  category: 'pod-security',
  inputs: 'manifests',
  fixable: false,
  summary: 'pod-security.kubernetes.io labels are set on Namespaces, not on pods or other objects.',
  remediation: 'Move the pod-security.kubernetes.io/* labels to the Namespace object.',
  docs: `Pod Security admission reads its labels from the Namespace only. Seed 001 puts
\`pod-security.kubernetes.io/enforce: baseline\` on pod templates, where they do nothing and
give a false sense of safety. Not fixed automatically: which level the namespace should enforce
is a decision (see \`namespace-pod-security\`).`,
  run({ objects, index }) {
    const out: RawFinding[] = [];
    const has = (labels: Record<string, unknown> | undefined): string[] =>
      Object.keys(labels ?? {}).filter((k) => k.startsWith('pod-security.kubernetes.io/'));
    for (const o of objects) {
      if (o.object.kind === 'Namespace') continue;
      const own = has(o.object.metadata.labels);
      if (own.length > 0)
        out.push({
          target: o,
          path: ['metadata', 'labels', own[0] ?? ''],
          message: `${nameOf(o)} carries ${own.join(', ')}, which only a Namespace label enforces`,
        });
    }
    for (const w of index.workloads) {
      if (w.metaPath.length === 0) continue;
      const labels = has(w.meta.labels);
      if (labels.length > 0)
        out.push({
          target: w.target,
          path: [...w.metaPath, 'labels', labels[0] ?? ''],
          message: `${nameOf(w.target)} sets ${labels.join(', ')} on its pod template, where Pod Security ignores them`,
        });
    }
    return out;
  },
};
