import { allOfKind } from '../engine/index-objects.ts';
import { get } from '../engine/pods.ts';
import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';

export const hpaBounds: Check = {
  id: 'hpa-bounds',
  severity: 'warning',
  category: 'reliability',
  inputs: 'manifests',
  fixable: false,
  summary:
    'HorizontalPodAutoscalers have minReplicas >= 1, maxReplicas above minReplicas, and at least one metric.',
  remediation: 'Set maxReplicas above minReplicas and give the HPA a metric to scale on.',
  docs: `An HPA with maxReplicas equal to minReplicas never scales (Polaris' hpaMaxAvailability); one
without metrics scales on nothing. Not fixed automatically.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const hpa of allOfKind(index, 'HorizontalPodAutoscaler')) {
      const minRaw = get(hpa.object, ['spec', 'minReplicas']);
      const min = typeof minRaw === 'number' ? minRaw : 1;
      const max = get(hpa.object, ['spec', 'maxReplicas']);
      const metrics = get(hpa.object, ['spec', 'metrics']);
      const problems: string[] = [];
      if (min < 1) problems.push(`minReplicas ${min} is below 1`);
      if (typeof max === 'number' && max <= min)
        problems.push(`maxReplicas ${max} is not above minReplicas ${min}`);
      if (
        hpa.object.apiVersion === 'autoscaling/v2' &&
        (!Array.isArray(metrics) || metrics.length === 0)
      )
        problems.push('it has no metrics');
      if (problems.length === 0) continue;
      out.push({ target: hpa, path: ['spec'], message: `${nameOf(hpa)}: ${problems.join('; ')}` });
    }
    return out;
  },
};
