/** HorizontalPodAutoscalers and KEDA ScaledObjects that cannot scale (metrics missing, target gone). */
import type { Detector, Finding } from '../model.ts';
import { conditionsOf, describeCondition, finding, list } from './helpers.ts';

const id = 'autoscaler-unable';

export const autoscalerUnable: Detector = {
  id,
  severity: 'warning',
  description:
    'HorizontalPodAutoscalers with AbleToScale or ScalingActive False (FailedGetResourceMetric, missing scale target...), and KEDA ScaledObjects that are not Ready or run on their Fallback replicas.',
  remediation:
    "Fix the metric source (metrics-server, the KEDA scaler's queue or credentials) or the scale target reference.",
  reads: ['autoscaling/HorizontalPodAutoscaler', 'keda.sh/ScaledObject'],
  trigger: 'watch',
  detect(state) {
    const out: Finding[] = [];
    for (const hpa of list(state, 'autoscaling/HorizontalPodAutoscaler')) {
      const bad = conditionsOf(hpa).find(
        (c) => (c.type === 'AbleToScale' || c.type === 'ScalingActive') && c.status === 'False',
      );
      if (!bad) continue;
      // An HPA owned by KEDA is reported through its ScaledObject.
      if (hpa.metadata.name.startsWith('keda-hpa-')) continue;
      out.push(
        finding(id, {
          severity: 'warning',
          object: hpa,
          reason: bad.reason ?? `${bad.type}False`,
          message: `HPA ${hpa.metadata.namespace}/${hpa.metadata.name} cannot scale: ${describeCondition(bad)}`,
          evidence: [`${bad.type}=False: ${describeCondition(bad)}`],
        }),
      );
    }
    for (const so of list(state, 'keda.sh/ScaledObject')) {
      const conditions = conditionsOf(so);
      const notReady = conditions.find((c) => c.type === 'Ready' && c.status === 'False');
      const fallback = conditions.find((c) => c.type === 'Fallback' && c.status === 'True');
      const bad = notReady ?? fallback;
      if (!bad) continue;
      out.push(
        finding(id, {
          severity: 'warning',
          object: so,
          reason: notReady ? (notReady.reason ?? 'ScaledObjectNotReady') : 'Fallback',
          message: `ScaledObject ${so.metadata.namespace}/${so.metadata.name} ${notReady ? 'is not Ready' : 'runs on its fallback replicas'}: ${describeCondition(bad)}`,
          evidence: conditions
            .filter((c) => c.type !== 'Active')
            .map((c) => `${c.type}=${c.status}: ${describeCondition(c)}`),
        }),
      );
    }
    return out;
  },
};
