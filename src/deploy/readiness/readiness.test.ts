import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../model/object.ts';
import { assessReadiness, type ReadinessContext, type ReadinessStatus } from './index.ts';
import {
  daemonSet,
  deployment,
  job,
  pod,
  pvc,
  replicaSet,
  statefulSet,
  storageClass,
} from './fixtures.test-support.ts';

interface Case {
  name: string;
  obj: KubeObject;
  ctx?: ReadinessContext;
  status: ReadinessStatus;
  reason: RegExp;
  blockingPod?: string;
}

const rollingOut = {
  status: {
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ],
  },
};
const classes = [
  storageClass('standard', 'Immediate', true),
  storageClass('standard-wffc', 'WaitForFirstConsumer'),
];

const cases: Case[] = [
  // generic kstatus steps
  {
    name: 'generic: being deleted',
    obj: deployment({ metadata: { deletionTimestamp: '2026-11-22T10:00:00Z' } }),
    status: 'InProgress',
    reason: /being deleted/,
  },
  {
    name: 'generic: generation not observed',
    obj: deployment({ metadata: { generation: 3 } }),
    status: 'InProgress',
    reason: /generation 3 not yet observed.*observed 2/,
  },
  {
    name: 'generic: Stalled=True fails',
    obj: {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      status: {
        conditions: [
          { type: 'Stalled', status: 'True', reason: 'BadSpec', message: 'size must be positive' },
        ],
      },
    },
    status: 'Failed',
    reason: /stalled: BadSpec: size must be positive/,
  },
  {
    name: 'generic: Reconciling=True waits',
    obj: {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      status: { conditions: [{ type: 'Reconciling', status: 'True', reason: 'Provisioning' }] },
    },
    status: 'InProgress',
    reason: /reconciling: Provisioning/,
  },
  {
    name: 'generic: Ready=False waits',
    obj: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'api', namespace: 'vapora' },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'SecretSyncedError',
            message: 'could not get secret data from provider',
          },
        ],
      },
    },
    status: 'InProgress',
    reason: /not Ready: SecretSyncedError: could not get secret/,
  },
  {
    name: 'generic: Ready=True is current',
    obj: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'web', namespace: 'vapora' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    },
    status: 'Current',
    reason: /Ready/,
  },
  {
    name: 'generic: no conditions is current at once',
    obj: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'vapora' },
      data: {},
    },
    status: 'Current',
    reason: /applied/,
  },
  // Deployment
  {
    name: 'deployment: available',
    obj: deployment(),
    status: 'Current',
    reason: /available, 3 replica/,
  },
  {
    name: 'deployment: progress deadline exceeded',
    obj: deployment({
      status: {
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "api-7c9f8d6b5" has timed out progressing.',
          },
        ],
      },
    }),
    status: 'Failed',
    reason: /ProgressDeadlineExceeded: ReplicaSet "api-7c9f8d6b5" has timed out/,
  },
  {
    name: 'deployment: fresh, no status yet',
    obj: deployment({ status: null }),
    status: 'InProgress',
    reason: /replicas: 0\/3/,
  },
  {
    name: 'deployment: rolling out names the pending pod',
    obj: deployment(rollingOut),
    ctx: {
      pods: [
        pod({ name: 'api-7c9f8d6b5-a', ready: true }),
        pod({ name: 'api-7c9f8d6b5-b', waiting: { reason: 'ContainerCreating' } }),
      ],
    },
    status: 'InProgress',
    reason: /available: 1\/3; pod api-7c9f8d6b5-b: container api: ContainerCreating/,
    blockingPod: 'api-7c9f8d6b5-b',
  },
  {
    name: 'deployment: crash loop fails fast with the pod reason',
    obj: deployment(rollingOut),
    ctx: {
      pods: [
        pod({
          name: 'api-7c9f8d6b5-a',
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 10s restarting failed container=api',
          },
          lastTerminated: { reason: 'Error', exitCode: 1 },
          restartCount: 2,
        }),
      ],
    },
    status: 'Failed',
    reason:
      /pod api-7c9f8d6b5-a: container api: CrashLoopBackOff; back-off 10s.*last exit Error \(code 1\); 2 restarts/,
    blockingPod: 'api-7c9f8d6b5-a',
  },
  {
    name: 'deployment: ImagePullBackOff fails fast',
    obj: deployment(rollingOut),
    ctx: {
      pods: [
        pod({
          waiting: {
            reason: 'ImagePullBackOff',
            message: 'Back-off pulling image "registry.example.com/vapora/api:1.4.3"',
          },
        }),
      ],
    },
    status: 'Failed',
    reason: /ImagePullBackOff; Back-off pulling image/,
  },
  {
    name: 'deployment: ErrImagePull fails fast',
    obj: deployment(rollingOut),
    ctx: { pods: [pod({ waiting: { reason: 'ErrImagePull' } })] },
    status: 'Failed',
    reason: /ErrImagePull/,
  },
  {
    name: 'deployment: CreateContainerConfigError fails fast',
    obj: deployment(rollingOut),
    ctx: {
      pods: [
        pod({
          waiting: { reason: 'CreateContainerConfigError', message: 'secret "api-env" not found' },
        }),
      ],
    },
    status: 'Failed',
    reason: /CreateContainerConfigError; secret "api-env" not found/,
  },
  {
    name: 'deployment: unschedulable pod is explained, not fatal',
    obj: deployment(rollingOut),
    ctx: {
      pods: [
        pod({
          unschedulable: '0/4 nodes are available: 1 node(s) had untolerated taint {pool: bots}.',
        }),
      ],
    },
    status: 'InProgress',
    reason: /Unschedulable: 0\/4 nodes are available: 1 node\(s\) had untolerated taint/,
  },
  {
    name: 'deployment: old revision crash loop is ignored',
    obj: deployment(rollingOut),
    ctx: {
      replicaSets: [replicaSet('oldhash1', '1'), replicaSet('7c9f8d6b5', '2')],
      pods: [
        pod({
          name: 'api-oldhash1-z',
          labels: { 'app.kubernetes.io/name': 'api', 'pod-template-hash': 'oldhash1' },
          waiting: { reason: 'CrashLoopBackOff' },
        }),
        pod({ name: 'api-7c9f8d6b5-b', waiting: { reason: 'ContainerCreating' } }),
      ],
    },
    status: 'InProgress',
    reason: /api-7c9f8d6b5-b/,
  },
  {
    name: 'deployment: pods of another app are not blamed',
    obj: deployment(rollingOut),
    ctx: {
      pods: [
        pod({
          name: 'web-1',
          labels: { 'app.kubernetes.io/name': 'web' },
          waiting: { reason: 'CrashLoopBackOff' },
        }),
      ],
    },
    status: 'InProgress',
    reason: /^available: 1\/3$/,
  },
  {
    name: 'deployment: Pod Security refusal fails fast',
    obj: deployment({
      status: {
        replicas: 0,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message:
              'pods "api-7c9f8d6b5-x" is forbidden: violates PodSecurity "restricted:latest": privileged',
          },
        ],
      },
    }),
    status: 'Failed',
    reason: /pods refused: FailedCreate: .*violates PodSecurity/,
  },
  {
    name: 'deployment: extra pods pending termination',
    obj: deployment({ status: { replicas: 4 } }),
    status: 'InProgress',
    reason: /pending termination: 1/,
  },
  {
    name: 'deployment: scaled to zero is current',
    obj: deployment({
      spec: { replicas: 0 },
      status: { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
    }),
    status: 'Current',
    reason: /available/,
  },
  // StatefulSet
  { name: 'statefulset: ready', obj: statefulSet(), status: 'Current', reason: /all 1 replica/ },
  {
    name: 'statefulset: OnDelete is current',
    obj: statefulSet({
      spec: { updateStrategy: { type: 'OnDelete' } },
      status: { readyReplicas: 0 },
    }),
    status: 'Current',
    reason: /OnDelete/,
  },
  {
    name: 'statefulset: waiting for ready names the pod',
    obj: statefulSet({ status: { readyReplicas: 0 } }),
    ctx: {
      pods: [
        pod({
          name: 'surrealdb-0',
          labels: {
            'app.kubernetes.io/name': 'surrealdb',
            'controller-revision-hash': 'surrealdb-5d8f7c',
          },
          ready: false,
        }),
      ],
    },
    status: 'InProgress',
    reason: /ready: 0\/1; pod surrealdb-0: containers not ready: api/,
  },
  {
    name: 'statefulset: crash loop fails fast',
    obj: statefulSet({ status: { readyReplicas: 0 } }),
    ctx: {
      pods: [
        pod({
          name: 'surrealdb-0',
          labels: {
            'app.kubernetes.io/name': 'surrealdb',
            'controller-revision-hash': 'surrealdb-5d8f7c',
          },
          waiting: { reason: 'CrashLoopBackOff' },
        }),
      ],
    },
    status: 'Failed',
    reason: /surrealdb-0.*CrashLoopBackOff/,
  },
  {
    name: 'statefulset: revisions differ',
    obj: statefulSet({ status: { updateRevision: 'surrealdb-6a1b2c' } }),
    status: 'InProgress',
    reason: /rolling to revision surrealdb-6a1b2c/,
  },
  {
    name: 'statefulset: partition rollout complete',
    obj: statefulSet({
      spec: {
        replicas: 3,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      },
      status: {
        replicas: 3,
        readyReplicas: 3,
        updatedReplicas: 1,
        currentReplicas: 2,
        updateRevision: 'x',
      },
    }),
    status: 'Current',
    reason: /replica/,
  },
  {
    name: 'statefulset: partition rollout in progress',
    obj: statefulSet({
      spec: {
        replicas: 3,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
      },
      status: { replicas: 3, readyReplicas: 3, updatedReplicas: 1 },
    }),
    status: 'InProgress',
    reason: /partitioned rollout: updated 1\/2/,
  },
  // DaemonSet
  { name: 'daemonset: ready', obj: daemonSet(), status: 'Current', reason: /all 4 daemon pod/ },
  {
    name: 'daemonset: not observed yet',
    obj: daemonSet({ status: { observedGeneration: null } }),
    status: 'InProgress',
    reason: /not yet observed/,
  },
  {
    name: 'daemonset: short of ready',
    obj: daemonSet({ status: { numberReady: 3, numberAvailable: 3 } }),
    status: 'InProgress',
    reason: /available: 3\/4/,
  },
  // Job
  {
    name: 'job: complete',
    obj: job({
      status: { succeeded: 1, active: 0, conditions: [{ type: 'Complete', status: 'True' }] },
    }),
    status: 'Current',
    reason: /completed: 1\/1/,
  },
  {
    name: 'job: failed',
    obj: job({
      status: {
        failed: 7,
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      },
    }),
    status: 'Failed',
    reason: /Job failed: BackoffLimitExceeded/,
  },
  {
    name: 'job: running (stricter than kstatus)',
    obj: job(),
    status: 'InProgress',
    reason: /running: 0\/1 succeeded, 1 active/,
  },
  {
    name: 'job: suspended',
    obj: job({ spec: { suspend: true } }),
    status: 'Current',
    reason: /suspended/,
  },
  {
    name: 'job: image pull error fails fast',
    obj: job(),
    ctx: {
      pods: [
        pod({
          name: 'migrate-abcde',
          labels: { 'batch.kubernetes.io/controller-uid': 'j-uid' },
          phase: 'Pending',
          waiting: { reason: 'ImagePullBackOff' },
        }),
      ],
    },
    status: 'Failed',
    reason: /migrate-abcde.*ImagePullBackOff/,
  },
  // PVC
  {
    name: 'pvc: bound',
    obj: pvc({ spec: { volumeName: 'pv-1' }, status: { phase: 'Bound' } }),
    status: 'Current',
    reason: /Bound to pv-1/,
  },
  { name: 'pvc: lost', obj: pvc({ status: { phase: 'Lost' } }), status: 'Failed', reason: /Lost/ },
  {
    name: 'pvc: WaitForFirstConsumer with its consumer in the apply is not gated',
    obj: pvc(),
    ctx: {
      storageClasses: classes,
      pvcConsumers: new Map([
        [
          'bots/clovis-data',
          [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'bots', name: 'clovis' }],
        ],
      ]),
    },
    status: 'Current',
    reason:
      /WaitForFirstConsumer \(standard-wffc\).*consumer Deployment bots\/clovis is awaited instead/,
  },
  {
    name: 'pvc: WaitForFirstConsumer with no consumer is not gated',
    obj: pvc(),
    ctx: { storageClasses: classes },
    status: 'Current',
    reason: /no consumer in this apply/,
  },
  {
    name: 'pvc: Immediate class pending waits',
    obj: pvc({ spec: { storageClassName: 'standard' } }),
    ctx: { storageClasses: classes },
    status: 'InProgress',
    reason: /waiting for StorageClass standard/,
  },
  {
    name: 'pvc: default class is resolved',
    obj: pvc({ spec: { storageClassName: undefined } }),
    ctx: { storageClasses: classes },
    status: 'InProgress',
    reason: /StorageClass standard/,
  },
  {
    name: 'pvc: missing class fails',
    obj: pvc({ spec: { storageClassName: 'fast-ssd' } }),
    ctx: { storageClasses: classes },
    status: 'Failed',
    reason: /StorageClass "fast-ssd" does not exist/,
  },
  // Service, Pod, CRD
  {
    name: 'service: ClusterIP is current',
    obj: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'vapora' },
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.12' },
    },
    status: 'Current',
    reason: /ClusterIP Service/,
  },
  {
    name: 'service: LoadBalancer without cluster IP waits',
    obj: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'vapora' },
      spec: { type: 'LoadBalancer' },
    },
    status: 'InProgress',
    reason: /cluster IP not yet allocated/,
  },
  { name: 'pod: running and ready', obj: pod(), status: 'Current', reason: /Running and Ready/ },
  {
    name: 'pod: crash loop fails',
    obj: pod({ waiting: { reason: 'CrashLoopBackOff' } }),
    status: 'Failed',
    reason: /CrashLoopBackOff/,
  },
  { name: 'pod: evicted fails', obj: pod({ phase: 'Failed' }), status: 'Failed', reason: /Failed/ },
  {
    name: 'crd: established',
    obj: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'scaledobjects.keda.sh' },
      status: {
        conditions: [
          { type: 'NamesAccepted', status: 'True' },
          { type: 'Established', status: 'True' },
        ],
      },
    },
    status: 'Current',
    reason: /Established/,
  },
  {
    name: 'crd: names refused',
    obj: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'x.example.com' },
      status: {
        conditions: [{ type: 'NamesAccepted', status: 'False', reason: 'MultipleNamesNotAllowed' }],
      },
    },
    status: 'Failed',
    reason: /names not accepted/,
  },
  {
    name: 'crd: just created',
    obj: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'x.example.com' },
    },
    status: 'InProgress',
    reason: /not yet Established/,
  },
  {
    name: 'pdb: budget not met',
    obj: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'api', namespace: 'vapora', generation: 1 },
      status: { observedGeneration: 1, currentHealthy: 1, desiredHealthy: 2 },
    },
    status: 'Current',
    reason: /budget not met yet: 1\/2 healthy \(not awaited: its workloads are\)/,
  },
];

for (const c of cases) {
  test(`readiness: ${c.name}`, () => {
    const r = assessReadiness(c.obj, c.ctx);
    assert.equal(r.status, c.status, r.reason);
    assert.match(r.reason, c.reason);
    if (c.blockingPod) assert.equal(r.blocking?.name, c.blockingPod);
  });
}

test('readiness: a malformed status never throws', () => {
  const odd = deployment({ status: { replicas: 'three', conditions: 'none' } });
  assert.equal(assessReadiness(odd).status, 'InProgress');
});
