/** HorizontalPodAutoscalers, KEDA ScaledObjects for queue pools on engine keda, PodDisruptionBudgets. */
import type { KubeObject } from '../model/object.ts';
import { engineOf, isQueuePool } from '../autoscale/pools.ts';
import type { Component } from '../spec/workspace.ts';
import { componentLabels, selectorOf, type RenderContext } from './context.ts';
import { scaledObjectOf } from './keda.ts';
import { isAutoscaled, minReplicasOf } from './workloads.ts';

const target = (c: Component) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name: c.name });

export function scalingOf(ctx: RenderContext, c: Component): KubeObject[] {
  const out: KubeObject[] = [];
  const metadata = { name: c.name, namespace: c.namespace, labels: componentLabels(ctx, c) };
  if (c.kind === 'Service' && c.spec.autoscaling) {
    const a = c.spec.autoscaling;
    const metrics = [resourceMetric('cpu', a.cpu)];
    if (a.memory !== undefined) metrics.push(resourceMetric('memory', a.memory));
    out.push(
      hpa(metadata, c, a.minReplicas, a.maxReplicas, metrics, a.scaleDownStabilizationSeconds),
    );
  }
  if (c.kind === 'AgentPool' && isAutoscaled(c) && c.spec.maxReplicas !== undefined) {
    const min = c.spec.minReplicas ?? c.spec.replicas;
    if (c.spec.cpuTarget !== undefined)
      out.push(
        hpa(
          metadata,
          c,
          Math.max(min, 1),
          c.spec.maxReplicas,
          [resourceMetric('cpu', c.spec.cpuTarget)],
          300,
        ),
      );
    if (isQueuePool(c) && engineOf(c, ctx.platform) === 'keda') out.push(...scaledObjectOf(ctx, c));
  }
  const min = minReplicasOf(c);
  if (c.kind !== 'Agent' && min >= 2) {
    out.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: {
        minAvailable: min - 1,
        selector: { matchLabels: selectorOf(ctx, c) },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
  return out;
}

function resourceMetric(name: string, utilization: number) {
  return {
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization: utilization } },
  };
}

function hpa(
  metadata: KubeObject['metadata'],
  c: Component,
  min: number,
  max: number,
  metrics: unknown[],
  stabilization: number,
): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: target(c),
      minReplicas: min,
      maxReplicas: max,
      metrics,
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }],
        },
        scaleDown: {
          stabilizationWindowSeconds: stabilization,
          policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
        },
      },
    },
  };
}
