import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/object.ts';
import { formatStatus, isUnhealthy, statusRows, type NamespaceView } from './status.ts';

const rel = { name: 'web', revision: 4 };
const ns = 'web';
const meta = (name: string, extra: Partial<KubeObject['metadata']> = {}) => ({
  name,
  namespace: ns,
  labels: { 'berth.dev/component': name },
  ...extra,
});

function deployment(name: string, replicas: number | undefined, ready: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, { generation: 1, uid: `uid-${name}` }),
    spec: {
      ...(replicas !== undefined ? { replicas } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [] } },
    },
    status: {
      observedGeneration: 1,
      replicas: ready,
      updatedReplicas: ready,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}

const job = (name: string, cond: 'Complete' | 'Failed' | undefined, extra = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: meta(name, { generation: 1, ...extra }),
  spec: { completions: 1, selector: { matchLabels: { job: name } } },
  status: {
    ...(cond === 'Complete' ? { succeeded: 1 } : {}),
    ...(cond
      ? {
          conditions: [
            {
              type: cond,
              status: 'True',
              reason: cond === 'Failed' ? 'BackoffLimitExceeded' : 'Completed',
            },
          ],
        }
      : { active: 1 }),
  },
});

const pvc = (name: string, phase: string, storageClassName = 'standard'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: meta(name),
  spec: { storageClassName, volumeName: phase === 'Bound' ? `pvc-${name}` : undefined },
  status: { phase, ...(phase === 'Bound' ? { capacity: { storage: '1Gi' } } : {}) },
});

const view = (extra: Partial<NamespaceView> = {}): NamespaceView => ({
  pods: [],
  replicaSets: [],
  ...extra,
});

function rows(
  objects: KubeObject[],
  v: NamespaceView,
  live = objects,
): ReturnType<typeof statusRows> {
  const byName = new Map(live.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
  return statusRows(
    rel,
    objects,
    (o) => byName.get(`${o.kind}/${o.metadata.name}`),
    () => v,
  );
}

test('status: Jobs are ready when complete, CronJobs fail when their last finished run failed', () => {
  const cron: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('backup', { uid: 'cron-uid' }),
    spec: { schedule: '0 3 * * *' },
    status: { lastSuccessfulTime: '2026-12-01T03:00:10Z' },
  };
  const owned = (name: string, cond: 'Complete' | 'Failed' | undefined, at: string) =>
    job(name, cond, {
      creationTimestamp: at,
      ownerReferences: [{ kind: 'CronJob', name: 'backup', uid: 'cron-uid' }],
    });
  const runs = [
    owned('backup-1', 'Complete', '2026-12-01T03:00:00Z'),
    owned('backup-2', 'Failed', '2026-12-02T03:00:00Z'),
    owned('backup-3', undefined, '2026-12-02T04:00:00Z'),
  ];
  const out = rows(
    [cron, job('migrate', 'Complete'), job('seed', undefined)],
    view({ jobs: runs }),
  );
  assert.deepEqual(
    out.map((r) => `${r.kind}/${r.name} ${r.status} ${r.ready}/${r.desired}`),
    ['Job/migrate Current 1/1', 'Job/seed InProgress 0/1', 'CronJob/backup Failed 1/1'],
  );
  const backup = out.find((r) => r.kind === 'CronJob');
  assert.match(
    backup?.reason ?? '',
    /last run, Job backup-2, failed: BackoffLimitExceeded; last success 2026-12-01T03:00:10Z/,
  );
  assert.deepEqual(backup?.notes, ['1 run(s) active']);
  // The newest finished run succeeded: healthy again.
  const healed = rows(
    [cron],
    view({ jobs: [...runs, owned('backup-4', 'Complete', '2026-12-02T05:00:00Z')] }),
  );
  assert.equal(healed[0]?.status, 'Current');
  assert.equal(healed[0]?.reason, 'schedule "0 3 * * *"; last success 2026-12-01T03:00:10Z');
  const suspended = { ...cron, spec: { schedule: '0 3 * * *', suspend: true } };
  assert.equal(rows([suspended], view({ jobs: runs }))[0]?.status, 'Current');
});

test('status: claims are Bound (with their size), Pending with the reason, Lost fails', () => {
  const classes: KubeObject[] = [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard' },
      volumeBindingMode: 'Immediate',
    },
  ];
  const out = rows(
    [
      pvc('data', 'Bound'),
      pvc('cache', 'Pending'),
      pvc('old', 'Lost'),
      pvc('typo', 'Pending', 'fast'),
    ],
    view({ storageClasses: classes }),
  );
  assert.deepEqual(
    out.map((r) => `${r.name} ${r.status} ${r.ready}`),
    ['data Current 1', 'cache InProgress 0', 'old Failed 0', 'typo Failed 0'],
  );
  assert.equal(out[0]?.reason, 'Bound to pvc-data (1Gi)');
  assert.match(out[3]?.reason ?? '', /StorageClass "fast" does not exist/);
  assert.equal(isUnhealthy(out.slice(0, 1)), false);
  const text = formatStatus(out);
  assert.match(text, /PersistentVolumeClaim web\/data\s+Bound\s+-\s+Bound to pvc-data \(1Gi\)\n/);
  assert.match(text, /PersistentVolumeClaim web\/cache\s+Unbound\s+-\s+InProgress: /);
});

test('status: who owns the replicas; below the autoscaler minimum is not ready; HPA trouble is a note', () => {
  const hpa: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api', namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 10,
    },
    status: {
      conditions: [
        { type: 'AbleToScale', status: 'True' },
        {
          type: 'ScalingActive',
          status: 'False',
          reason: 'FailedGetResourceMetric',
          message: 'no metrics',
        },
      ],
    },
  };
  const pool = deployment('pool', 1, 1);
  pool.metadata.annotations = {
    'berth.dev/autoscaler': 'berth',
    'berth.dev/min-replicas': '2',
    'berth.dev/max-replicas': '8',
  };
  const out = rows(
    [deployment('api', 3, 3), pool, deployment('web', 2, 2)],
    view({ autoscalers: [hpa] }),
  );
  const [api, p, web] = out;
  assert.equal(api?.scaledBy, 'HorizontalPodAutoscaler api (min 2, max 10)');
  assert.equal(api?.status, 'Current');
  assert.deepEqual(api?.notes, [
    'HorizontalPodAutoscaler web/api: ScalingActive False (FailedGetResourceMetric): no metrics',
  ]);
  assert.equal(p?.scaledBy, 'berth autoscaler (min 2, max 8)');
  assert.equal(p?.status, 'InProgress');
  assert.match(p?.reason ?? '', /ready: 1\/2, below its autoscaler's minimum/);
  assert.equal(web?.scaledBy, undefined);
  const text = formatStatus(out);
  assert.match(
    text,
    /Deployment web\/api\s+3\/3\s+-\s+Ready \(replicas: HorizontalPodAutoscaler api \(min 2, max 10\)\)\n/,
  );
  assert.match(
    text,
    /\nnote: Deployment web\/api: HorizontalPodAutoscaler web\/api: ScalingActive False/,
  );
});

test("status: a StatefulSet's claims are counted in a note, naming those not Bound", () => {
  const sts: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('nats', { generation: 1 }),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'nats' } },
      volumeClaimTemplates: [{ metadata: { name: 'data' } }],
    },
    status: {
      observedGeneration: 1,
      replicas: 2,
      readyReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    },
  };
  const claim = (name: string, phase: string) => ({
    ...pvc(name, phase),
    metadata: { name, namespace: ns },
  });
  const out = rows(
    [sts],
    view({ pvcs: [claim('data-nats-0', 'Bound'), claim('data-nats-1', 'Pending')] }),
  );
  assert.deepEqual(out[0]?.notes, ['claims: 1/2 Bound (data-nats-1 Pending)']);
});

test('status: objects of other kinds are not rows; a deleted workload is Missing', () => {
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg') };
  const out = rows([cm, deployment('api', 2, 2)], view(), []);
  assert.deepEqual(
    out.map((r) => `${r.kind} ${r.status}`),
    ['Deployment Missing'],
  );
  assert.equal(isUnhealthy(out), true);
});
