/**
 * The KEDA ScaledObject of a queue pool whose engine is `keda`, kept consistent with the pool's
 * scaling policy (docs/autoscale.md, "The KEDA variant"): same bounds, windows and step sizes,
 * and a fallback that holds the current replicas when the metric is lost (KEDA 2.17+), so a
 * broken metric source never scales the pool down or to zero.
 */
import { policyOf, type AgentPool } from '../autoscale/pools.ts';
import type { KubeObject } from '../model/object.ts';
import { exposedPorts } from '../spec/resolve.ts';
import type { Component } from '../spec/workspace.ts';
import { componentLabels, type RenderContext } from './context.ts';

type Step = AgentPool['spec']['scaling']['up'];

function behaviorOf(s: Step, pollSeconds: number) {
  const policies = [
    {
      type: s.stepType === 'pods' ? 'Pods' : 'Percent',
      value: s.step,
      periodSeconds: Math.max(s.cooldownSeconds, pollSeconds, 1),
    },
  ];
  if (s.limitReplicas !== undefined)
    policies.push({ type: 'Pods', value: s.limitReplicas, periodSeconds: s.limitPeriodSeconds });
  return { stabilizationWindowSeconds: s.stabilizationSeconds, selectPolicy: 'Min', policies };
}

/** `$.a.b[0].c` → `a.b.0.c` (KEDA's metrics-api valueLocation is a GJSON path). */
export function gjsonPath(path: string): string {
  return path
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\[['"]([^'"]*)['"]\]/g, '.$1')
    .replace(/^\./, '');
}

function triggerOf(ctx: RenderContext, pool: AgentPool, target: string, activation: string) {
  const q = pool.spec.queue;
  if (!q) return undefined;
  if (q.prometheus)
    return {
      type: 'prometheus',
      metadata: {
        serverAddress: q.prometheus.url,
        query: q.prometheus.query,
        threshold: target,
        activationThreshold: activation,
      },
    };
  if (q.http)
    return {
      type: 'metrics-api',
      metadata: {
        url: q.http.url,
        valueLocation: gjsonPath(q.http.path),
        targetValue: target,
        activationTargetValue: activation,
      },
    };
  const store = q.store === undefined ? undefined : ctx.components.get(q.store);
  if (store?.kind !== 'Store') return undefined;
  const host = (port: string) => {
    const p = exposedPorts(store).find((x) => x.name === port);
    return `${store.name}.${store.namespace}.svc.cluster.local:${p?.port ?? ''}`;
  };
  if (store.spec.engine === 'nats')
    return {
      type: 'nats-jetstream',
      metadata: {
        natsServerMonitoringEndpoint: host('monitor'),
        account: q.account,
        stream: q.stream ?? '',
        consumer: q.consumer ?? '',
        lagThreshold: target,
        activationLagThreshold: activation,
      },
    };
  if (q.listName !== undefined)
    return {
      type: 'redis',
      metadata: {
        address: host('redis'),
        listName: q.listName,
        listLength: target,
        activationListLength: activation,
        databaseIndex: String(q.databaseIndex),
      },
    };
  return {
    type: 'redis-streams',
    metadata: {
      address: host('redis'),
      stream: q.stream ?? '',
      consumerGroup: q.group ?? '',
      lagCount: target,
      activationLagCount: activation,
      databaseIndex: String(q.databaseIndex),
    },
  };
}

export function scaledObjectOf(ctx: RenderContext, pool: AgentPool): KubeObject[] {
  const s = pool.spec.scaling;
  const policy = policyOf(pool);
  // KEDA only knows the target rule; the threshold rule maps its up threshold to the target.
  const target = String(s.rule === 'target' ? s.targetPerReplica : s.scaleUpAbove);
  const trigger = triggerOf(ctx, pool, target, String(s.activationThreshold));
  if (!trigger) return [];
  const c: Component = pool;
  return [
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: pool.name, namespace: pool.namespace, labels: componentLabels(ctx, c) },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: pool.name },
        pollingInterval: s.pollSeconds,
        cooldownPeriod: Math.max(s.down.stabilizationSeconds, s.down.cooldownSeconds),
        minReplicaCount: policy.min,
        maxReplicaCount: policy.max,
        // Never scale on a lost metric: hold the current replicas (KEDA pain point #1850).
        fallback: {
          failureThreshold: 3,
          replicas: Math.max(policy.min, 1),
          behavior: 'currentReplicas',
        },
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleUp: behaviorOf(s.up, s.pollSeconds),
              scaleDown: behaviorOf(s.down, s.pollSeconds),
            },
          },
        },
        triggers: [trigger],
      },
    },
  ];
}
