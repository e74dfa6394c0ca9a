/** Deployments (agents, pools, services), StatefulSets (stores) and agent PVCs. */
import { ENGINE_ANNOTATION, MAX_ANNOTATION, MIN_ANNOTATION } from '../autoscale/names.ts';
import { engineOf, isQueuePool, policyOf, type AgentPool } from '../autoscale/pools.ts';
import type { KubeObject } from '../model/object.ts';
import type { Component } from '../spec/workspace.ts';
import { componentLabels, componentMeta, selectorOf, type RenderContext } from './context.ts';
import { podTemplate } from './pod.ts';

/** What a Deployment scaled by berth's autoscaler says about it (ADR 0016, ADR 0085). */
function berthScaledAnnotations(c: AgentPool): Record<string, string> {
  const p = policyOf(c);
  return {
    [ENGINE_ANNOTATION]: 'berth',
    [MIN_ANNOTATION]: String(p.min),
    [MAX_ANNOTATION]: String(p.max),
  };
}

/** Whether an autoscaler (HPA, KEDA or berth's) owns the replica count: then spec.replicas is left out. */
export function isAutoscaled(c: Component): boolean {
  if (c.kind === 'AgentPool')
    return (
      c.spec.maxReplicas !== undefined &&
      (c.spec.queue !== undefined || c.spec.cpuTarget !== undefined)
    );
  if (c.kind === 'Service') return c.spec.autoscaling !== undefined;
  return false;
}

/** The lowest replica count the component runs with (PodDisruptionBudget input). */
export function minReplicasOf(c: Component): number {
  switch (c.kind) {
    case 'Agent':
      return 1;
    case 'AgentPool':
      return isAutoscaled(c) ? (c.spec.minReplicas ?? c.spec.replicas) : c.spec.replicas;
    case 'Service':
      return c.spec.autoscaling?.minReplicas ?? c.spec.replicas;
    case 'Store':
      return c.spec.replicas;
  }
}

export function workloadOf(ctx: RenderContext, c: Component): KubeObject[] {
  const metadata = componentMeta(
    ctx,
    c,
    c.kind === 'Agent'
      ? { ...c.annotations, 'berth.dev/singleton': 'true' }
      : isQueuePool(c) && engineOf(c, ctx.platform) === 'berth'
        ? { ...c.annotations, ...berthScaledAnnotations(c) }
        : c.annotations,
  );
  const selector = { matchLabels: selectorOf(ctx, c) };
  const template = podTemplate(ctx, c);
  switch (c.kind) {
    case 'Agent':
      return [
        pvcOf(ctx, c),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata,
          spec: {
            replicas: 1,
            revisionHistoryLimit: 5,
            progressDeadlineSeconds: 600,
            strategy: { type: 'Recreate' },
            selector,
            template,
          },
        },
      ];
    case 'AgentPool':
    case 'Service': {
      const spec: Record<string, unknown> = {};
      if (!isAutoscaled(c)) spec.replicas = c.spec.replicas;
      Object.assign(spec, {
        revisionHistoryLimit: 5,
        progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        selector,
        template,
      });
      return [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec }];
    }
    case 'Store': {
      const storage = c.spec.storage;
      const storageClass = storage.storageClass ?? ctx.platform.defaults.storageClass;
      return [
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata,
          spec: {
            replicas: c.spec.replicas,
            serviceName: `${c.name}-headless`,
            podManagementPolicy: c.spec.engine === 'nats' ? 'Parallel' : 'OrderedReady',
            updateStrategy: { type: 'RollingUpdate' },
            persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
            revisionHistoryLimit: 5,
            selector,
            template,
            volumeClaimTemplates: [
              {
                apiVersion: 'v1',
                kind: 'PersistentVolumeClaim',
                metadata: { name: 'data', labels: componentLabels(ctx, c) },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  ...(storageClass !== undefined ? { storageClassName: storageClass } : {}),
                  resources: { requests: { storage: storage.size } },
                },
              },
            ],
          },
        },
      ];
    }
  }
}

function pvcOf(ctx: RenderContext, c: Extract<Component, { kind: 'Agent' }>): KubeObject {
  const storage = c.spec.storage;
  const storageClass = storage.storageClass ?? ctx.platform.defaults.storageClass;
  const spec: Record<string, unknown> = { accessModes: [storage.accessMode] };
  if (storageClass !== undefined) spec.storageClassName = storageClass;
  spec.resources = { requests: { storage: storage.size ?? ctx.platform.agents.storageSize } };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: `${c.name}-data`, namespace: c.namespace, labels: componentLabels(ctx, c) },
    spec,
  };
}
