// Realistic object fixtures for the readiness tests: statuses shaped as the controllers of
// Kubernetes 1.36 write them (captured from a cluster and trimmed to the fields that matter).
import type { KubeObject } from '../../model/object.ts';

type Patch = Record<string, unknown>;

function merge<T>(base: T, patch: Patch | undefined): T {
  if (!patch) return base;
  const out = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object'
        ? merge(cur, v as Patch)
        : v;
  }
  return out as T;
}

export function deployment(patch?: Patch): KubeObject {
  return merge<KubeObject>(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'api',
        namespace: 'vapora',
        uid: 'd-uid-1',
        generation: 2,
        annotations: { 'deployment.kubernetes.io/revision': '2' },
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: 'ReplicaSet "api-7c9f8d6b5" has successfully progressed.',
          },
        ],
      },
    },
    patch,
  );
}

export function replicaSet(hash: string, revision: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `api-${hash}`,
      namespace: 'vapora',
      labels: { 'app.kubernetes.io/name': 'api', 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd-uid-1' }],
    },
    spec: { replicas: 3 },
  };
}

export interface PodOptions {
  name?: string;
  labels?: Record<string, string>;
  phase?: string;
  ready?: boolean;
  waiting?: { reason: string; message?: string };
  lastTerminated?: { reason: string; exitCode: number };
  restartCount?: number;
  unschedulable?: string;
  deleting?: boolean;
}

export function pod(o: PodOptions = {}): KubeObject {
  const labels = o.labels ?? { 'app.kubernetes.io/name': 'api', 'pod-template-hash': '7c9f8d6b5' };
  const phase = o.phase ?? (o.unschedulable ? 'Pending' : 'Running');
  const ready = o.ready ?? (!o.waiting && !o.unschedulable && phase === 'Running');
  const conditions: Patch[] = [
    o.unschedulable
      ? { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: o.unschedulable }
      : { type: 'PodScheduled', status: 'True' },
    { type: 'Ready', status: ready ? 'True' : 'False' },
  ];
  const containerStatuses = o.unschedulable
    ? undefined
    : [
        {
          name: 'api',
          image: 'registry.example.com/vapora/api:1.4.2',
          ready,
          restartCount: o.restartCount ?? 0,
          state: o.waiting
            ? { waiting: o.waiting }
            : { running: { startedAt: '2026-11-22T10:00:00Z' } },
          ...(o.lastTerminated ? { lastState: { terminated: o.lastTerminated } } : {}),
        },
      ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name ?? 'api-7c9f8d6b5-x2k4p',
      namespace: 'vapora',
      labels,
      ...(o.deleting ? { deletionTimestamp: '2026-11-22T10:01:00Z' } : {}),
    },
    spec: { nodeName: o.unschedulable ? undefined : 'kwok-node-0' },
    status: { phase, conditions, ...(containerStatuses ? { containerStatuses } : {}) },
  };
}

export function statefulSet(patch?: Patch): KubeObject {
  return merge<KubeObject>(
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'surrealdb', namespace: 'vapora', generation: 1 },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'surrealdb' } },
        updateStrategy: { type: 'RollingUpdate' },
      },
      status: {
        observedGeneration: 1,
        replicas: 1,
        readyReplicas: 1,
        currentReplicas: 1,
        updatedReplicas: 1,
        availableReplicas: 1,
        currentRevision: 'surrealdb-5d8f7c',
        updateRevision: 'surrealdb-5d8f7c',
      },
    },
    patch,
  );
}

export function daemonSet(patch?: Patch): KubeObject {
  return merge<KubeObject>(
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'node-exporter', namespace: 'monitoring', generation: 1 },
      spec: { selector: { matchLabels: { app: 'node-exporter' } } },
      status: {
        observedGeneration: 1,
        desiredNumberScheduled: 4,
        currentNumberScheduled: 4,
        updatedNumberScheduled: 4,
        numberAvailable: 4,
        numberReady: 4,
      },
    },
    patch,
  );
}

export function job(patch?: Patch): KubeObject {
  return merge<KubeObject>(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'vapora', generation: 1 },
      spec: {
        completions: 1,
        parallelism: 1,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'j-uid' } },
      },
      status: { startTime: '2026-11-22T10:00:00Z', active: 1 },
    },
    patch,
  );
}

export function pvc(patch?: Patch): KubeObject {
  return merge<KubeObject>(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'clovis-data', namespace: 'bots' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
        storageClassName: 'standard-wffc',
      },
      status: { phase: 'Pending' },
    },
    patch,
  );
}

export function storageClass(name: string, mode: string, isDefault = false): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      ...(isDefault
        ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }
        : {}),
    },
    provisioner: 'berth.dev/sandbox',
    volumeBindingMode: mode,
  };
}
