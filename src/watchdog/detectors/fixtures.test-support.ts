/** Small builders of cluster objects for detector tests (the fixtures of each detector). */
import type { KubeObject } from '../../model/object.ts';
import type { ClusterState } from '../model.ts';

export const now = Date.parse('2026-12-02T12:00:00Z');
export const ago = (ms: number) => new Date(now - ms).toISOString();
export const min = 60_000;

export function state(objects: KubeObject[], extra: Partial<ClusterState> = {}): ClusterState {
  const byKind: Record<string, KubeObject[]> = {};
  for (const o of objects) {
    const slash = o.apiVersion.indexOf('/');
    const key = slash < 0 ? o.kind : `${o.apiVersion.slice(0, slash)}/${o.kind}`;
    (byKind[key] ??= []).push(o);
  }
  return { now, objects: byKind, ...extra };
}

export function node(
  name: string,
  ready = 'True',
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: {
      allocatable: { cpu: '8', memory: '32Gi' },
      conditions: [
        {
          type: 'Ready',
          status: ready,
          reason: ready === 'True' ? 'KubeletReady' : 'NodeStatusUnknown',
          lastTransitionTime: ago(5 * min),
        },
        ...((extra.conditions as unknown[]) ?? []),
      ],
    },
  };
}

interface PodOptions {
  namespace?: string;
  node?: string;
  phase?: string;
  owner?: string;
  hash?: string;
  waiting?: string;
  last?: { reason: string; exitCode: number; finishedAt?: string };
  restarts?: number;
  created?: string;
  conditions?: unknown[];
  deleting?: boolean;
  statusReason?: string;
}

export function pod(name: string, o: PodOptions = {}): KubeObject {
  const hash = o.hash ?? '7c9f';
  const cs: Record<string, unknown> = {
    name: 'app',
    ready: !o.waiting,
    restartCount: o.restarts ?? 0,
    state: o.waiting
      ? { waiting: { reason: o.waiting, message: `back-off restarting` } }
      : { running: {} },
  };
  if (o.last)
    cs.lastState = { terminated: { ...o.last, finishedAt: o.last.finishedAt ?? ago(min) } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'bots',
      creationTimestamp: o.created ?? ago(30 * min),
      labels: { app: 'x', 'pod-template-hash': hash },
      ...(o.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: `${o.owner}-${hash}`,
                controller: true,
                uid: 'u',
              },
            ],
          }
        : {}),
      ...(o.deleting ? { deletionTimestamp: ago(0) } : {}),
    },
    spec: {
      nodeName: o.node,
      containers: [{ name: 'app', image: 'x:1', resources: { limits: { memory: '256Mi' } } }],
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.statusReason ? { reason: o.statusReason } : {}),
      conditions: o.conditions ?? [],
      containerStatuses: [cs],
    },
  };
}

export function obj(
  apiVersion: string,
  kind: string,
  name: string,
  rest: Record<string, unknown> = {},
  namespace: string | undefined = 'bots',
): KubeObject {
  const { metadata, ...body } = rest as { metadata?: Record<string, unknown> };
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      creationTimestamp: ago(60 * min),
      ...metadata,
    },
    ...body,
  };
}
