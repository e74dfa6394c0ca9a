// Table tests: each detector with fixtures that must and must not produce findings; and the
// meta-tests over the registry (ids, docs, a positive and a negative case for every detector).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { defaultDetectorOptions, type ClusterState } from '../model.ts';
import { detectorsMarkdown } from '../docs.ts';
import { detectors } from './index.ts';
import { ago, min, node, now, obj, pod, state } from './fixtures.test-support.ts';

// A self-signed certificate valid until 2026-12-12 (10 days after the fixtures' clock).
const tlsCrt =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmakNDQVNXZ0F3SUJBZ0lVUHhRaTFZK1RvR1AzeXdINkNjTFNJNXA4UUI4d0NnWUlLb1pJemowRUF3SXcKRlRFVE1CRUdBMVVFQXd3S1ltVnlkR2d0ZEdWemREQWVGdzB5TmpFeU1ESXhNVEl5TVRGYUZ3MHlOakV5TVRJeApNVEl5TVRGYU1CVXhFekFSQmdOVkJBTU1DbUpsY25Sb0xYUmxjM1F3V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPClBRTUJCd05DQUFUb0xLdlJOMWN5Z0FiZlVEQkR4ZXVLM2ZTYit5Nk00YmZwZ3JVSWJhaktIclBPY3V6d2dRejkKcEh2ZVlNbS9HTm9INFNINlBsdFgvWmNzTDFmeVhuM2tvMU13VVRBZEJnTlZIUTRFRmdRVWh1WXZoa2NZc1J6ZQppOTJRYnRDTHBDWEhYdEV3SHdZRFZSMGpCQmd3Rm9BVWh1WXZoa2NZc1J6ZWk5MlFidENMcENYSFh0RXdEd1lEClZSMFRBUUgvQkFVd0F3RUIvekFLQmdncWhrak9QUVFEQWdOSEFEQkVBaUI3N3d5NVh0MVZSeXRoQlA5UDIxSVYKQlpyZnFHdFBWaXVVMGJUODMzQlNPZ0lnRTdCbHU5RkUyVnAxT2xVOTBmQTM2Q0ljdXR5bngzbng3aTZKMUhMZQpVSEU9Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K';

interface Case {
  detector: string;
  name: string;
  state: ClusterState;
  /** `reason object-name` of each finding, in order; empty: none. */
  expect: string[];
}

const crash = (name: string, extra = {}) =>
  pod(name, {
    node: 'n1',
    owner: 'clovis',
    waiting: 'CrashLoopBackOff',
    restarts: 4,
    last: { reason: 'Error', exitCode: 1 },
    ...extra,
  });
const nodeUsage = (node: string, cpu: number, memory: number) =>
  [11, 8, 5, 2, 0].map((m) => ({ node, at: now - m * min, cpu, memory }));

const cases: Case[] = [
  {
    detector: 'cluster-health-check',
    name: 'healthy cluster',
    state: state([node('n1'), pod('a', { node: 'n1', owner: 'web' })]),
    expect: [],
  },
  {
    detector: 'cluster-health-check',
    name: 'NotReady node',
    state: state([node('n1', 'Unknown'), pod('a', { node: 'n1' })]),
    expect: ['NodeNotReady n1'],
  },
  {
    detector: 'cluster-health-check',
    name: 'failed pod (Evicted)',
    state: state([pod('a', { phase: 'Failed', statusReason: 'Evicted', node: 'n1' })]),
    expect: ['Evicted a'],
  },
  {
    detector: 'cluster-health-check',
    name: 'pod stuck starting past the grace',
    state: state([
      pod('a', {
        phase: 'Pending',
        node: 'n1',
        waiting: 'ContainerCreating',
        created: ago(10 * min),
      }),
    ]),
    expect: ['PodStuckStarting a'],
  },
  {
    detector: 'cluster-health-check',
    name: 'pod starting within the grace',
    state: state([
      pod('a', { phase: 'Pending', node: 'n1', waiting: 'ContainerCreating', created: ago(min) }),
    ]),
    expect: [],
  },
  {
    detector: 'cluster-health-check',
    name: 'recent Warning events grouped; explained and old ones ignored',
    state: state([
      obj('v1', 'Event', 'e1', {
        type: 'Warning',
        reason: 'Unhealthy',
        message: 'Readiness probe failed',
        count: 3,
        lastTimestamp: ago(min),
        involvedObject: { kind: 'Pod', name: 'a', namespace: 'bots' },
      }),
      obj('v1', 'Event', 'e2', {
        type: 'Warning',
        reason: 'Unhealthy',
        message: 'Readiness probe failed',
        lastTimestamp: ago(2 * min),
        involvedObject: { kind: 'Pod', name: 'a', namespace: 'bots' },
      }),
      obj('v1', 'Event', 'e3', {
        type: 'Warning',
        reason: 'BackOff',
        lastTimestamp: ago(min),
        involvedObject: { kind: 'Pod', name: 'a', namespace: 'bots' },
      }),
      obj('v1', 'Event', 'e4', {
        type: 'Warning',
        reason: 'FailedMount',
        lastTimestamp: ago(40 * min),
        involvedObject: { kind: 'Pod', name: 'a', namespace: 'bots' },
      }),
      obj('v1', 'Event', 'e5', {
        type: 'Normal',
        reason: 'Pulled',
        lastTimestamp: ago(min),
        involvedObject: { kind: 'Pod', name: 'a', namespace: 'bots' },
      }),
    ]),
    expect: ['Unhealthy a'],
  },
  {
    detector: 'cluster-health-check',
    name: "an event whose involvedObject has no namespace belongs to the event's namespace",
    state: state([
      obj(
        'v1',
        'Event',
        'e1',
        {
          type: 'Warning',
          reason: 'FailedToCreateEndpoint',
          lastTimestamp: ago(min),
          involvedObject: { kind: 'Endpoints', name: 'surrealdb' },
        },
        'data',
      ),
    ]),
    expect: ['FailedToCreateEndpoint surrealdb'],
  },
  {
    detector: 'pod-restart-loop',
    name: 'crash loop with last exit',
    state: state([crash('clovis-7c9f-a')]),
    expect: ['CrashLoopBackOff clovis-7c9f-a'],
  },
  {
    detector: 'pod-restart-loop',
    name: 'image pull',
    state: state([pod('a', { phase: 'Pending', waiting: 'ImagePullBackOff' })]),
    expect: ['ImagePullBackOff a'],
  },
  {
    detector: 'pod-restart-loop',
    name: 'healthy and terminating pods',
    state: state([pod('a'), crash('b', { deleting: true })]),
    expect: [],
  },
  {
    detector: 'oom-killed',
    name: 'recent OOM, running again',
    state: state([pod('a', { last: { reason: 'OOMKilled', exitCode: 137 }, restarts: 1 })]),
    expect: ['OOMKilled a'],
  },
  {
    detector: 'oom-killed',
    name: 'old OOM, crash-looping OOM (reported by pod-restart-loop), pod being deleted',
    state: state([
      pod('a', { last: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(120 * min) } }),
      crash('b', { last: { reason: 'OOMKilled', exitCode: 137 } }),
      pod('c', { deleting: true, last: { reason: 'OOMKilled', exitCode: 137 } }),
    ]),
    expect: [],
  },
  {
    detector: 'pod-unschedulable',
    name: 'unschedulable past the grace, with the reason',
    state: state([
      pod('a', {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/5 nodes are available: 5 Insufficient cpu.',
            lastTransitionTime: ago(5 * min),
          },
        ],
      }),
    ]),
    expect: ['Unschedulable a'],
  },
  {
    detector: 'pod-unschedulable',
    name: 'within the grace',
    state: state([
      pod('a', {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            lastTransitionTime: ago(30_000),
          },
        ],
      }),
    ]),
    expect: [],
  },
  {
    detector: 'job-failed',
    name: 'failed Job of a CronJob',
    state: state([
      obj('batch/v1', 'Job', 'backup-29', {
        metadata: {
          ownerReferences: [
            { apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', controller: true },
          ],
        },
        status: {
          failed: 3,
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
    ]),
    expect: ['BackoffLimitExceeded backup-29'],
  },
  {
    detector: 'job-failed',
    name: 'complete Job',
    state: state([
      obj('batch/v1', 'Job', 'ok', {
        status: { conditions: [{ type: 'Complete', status: 'True' }] },
      }),
    ]),
    expect: [],
  },
  {
    detector: 'rollout-stuck',
    name: 'progress deadline exceeded',
    state: state([
      obj('apps/v1', 'Deployment', 'api', {
        spec: { replicas: 2 },
        status: {
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "api-5d" has timed out progressing.',
            },
          ],
        },
      }),
    ]),
    expect: ['ProgressDeadlineExceeded api'],
  },
  {
    detector: 'rollout-stuck',
    name: 'progressing fine',
    state: state([
      obj('apps/v1', 'Deployment', 'api', {
        status: {
          conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
        },
      }),
    ]),
    expect: [],
  },
  {
    detector: 'service-no-endpoints',
    name: 'selector with only not-ready endpoints',
    state: state([
      obj('v1', 'Service', 'api', { spec: { selector: { app: 'api' } } }),
      obj('discovery.k8s.io/v1', 'EndpointSlice', 'api-x', {
        metadata: { labels: { 'kubernetes.io/service-name': 'api' } },
        endpoints: [{ conditions: { ready: false } }],
      }),
    ]),
    expect: ['NoReadyEndpoints api'],
  },
  {
    detector: 'service-no-endpoints',
    name: 'ready endpoint; service without selector; new service',
    state: state([
      obj('v1', 'Service', 'api', { spec: { selector: { app: 'api' } } }),
      obj('discovery.k8s.io/v1', 'EndpointSlice', 'api-x', {
        metadata: { labels: { 'kubernetes.io/service-name': 'api' } },
        endpoints: [{ conditions: { ready: true } }],
      }),
      obj('v1', 'Service', 'external', { spec: {} }),
      obj('v1', 'Service', 'new', {
        metadata: { creationTimestamp: ago(10_000) },
        spec: { selector: { app: 'new' } },
      }),
    ]),
    expect: [],
  },
  {
    detector: 'autoscaler-unable',
    name: 'HPA without metrics',
    state: state([
      obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'api', {
        status: {
          conditions: [
            { type: 'AbleToScale', status: 'True' },
            {
              type: 'ScalingActive',
              status: 'False',
              reason: 'FailedGetResourceMetric',
              message: 'unable to get metrics',
            },
          ],
        },
      }),
    ]),
    expect: ['FailedGetResourceMetric api'],
  },
  {
    detector: 'autoscaler-unable',
    name: 'ScaledObject not ready',
    state: state([
      obj('keda.sh/v1alpha1', 'ScaledObject', 'workers', {
        status: {
          conditions: [{ type: 'Ready', status: 'False', reason: 'ScaledObjectCheckFailed' }],
        },
      }),
    ]),
    expect: ['ScaledObjectCheckFailed workers'],
  },
  {
    detector: 'autoscaler-unable',
    name: 'healthy HPA',
    state: state([
      obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'api', {
        status: { conditions: [{ type: 'ScalingActive', status: 'True' }] },
      }),
    ]),
    expect: [],
  },
  {
    detector: 'pvc-pressure',
    name: 'PVC at 90%, node disk at 96%',
    state: state([], {
      volumeUsage: [
        { node: 'n1', namespace: 'bots', pvc: 'data', usedBytes: 9, capacityBytes: 10 },
        { node: 'n2', usedBytes: 96, capacityBytes: 100 },
      ],
    }),
    expect: ['VolumeNearlyFull data', 'NodeDiskNearlyFull n2'],
  },
  {
    detector: 'pvc-pressure',
    name: 'lost claim',
    state: state([obj('v1', 'PersistentVolumeClaim', 'data', { status: { phase: 'Lost' } })]),
    expect: ['ClaimLost data'],
  },
  {
    detector: 'pvc-pressure',
    name: 'PVC at 50%',
    state: state([], {
      volumeUsage: [
        { node: 'n1', namespace: 'bots', pvc: 'data', usedBytes: 5, capacityBytes: 10 },
      ],
    }),
    expect: [],
  },
  {
    detector: 'argocd-sync-health',
    name: 'Degraded and OutOfSync apps',
    state: state([
      obj(
        'argoproj.io/v1alpha1',
        'Application',
        'litellm',
        {
          status: {
            sync: { status: 'Synced' },
            health: { status: 'Degraded', message: 'Deployment litellm has 0 ready' },
          },
        },
        'argocd',
      ),
      obj(
        'argoproj.io/v1alpha1',
        'Application',
        'hermes',
        { status: { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' } } },
        'argocd',
      ),
      obj(
        'argoproj.io/v1alpha1',
        'Application',
        'ok',
        { status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } } },
        'argocd',
      ),
    ]),
    expect: ['Degraded litellm', 'OutOfSync hermes'],
  },
  {
    detector: 'argocd-sync-health',
    name: 'Synced and Healthy',
    state: state([
      obj(
        'argoproj.io/v1alpha1',
        'Application',
        'ok',
        { status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } } },
        'argocd',
      ),
    ]),
    expect: [],
  },
  {
    detector: 'cert-expiry',
    name: 'Certificate in 5 days, TLS Secret in 10 days; managed Secret once',
    state: state([
      obj('cert-manager.io/v1', 'Certificate', 'web', {
        spec: { secretName: 'web-tls' },
        status: {
          notAfter: new Date(now + 5 * 86_400_000).toISOString(),
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      }),
      obj('v1', 'Secret', 'web-tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': tlsCrt } }),
      obj('v1', 'Secret', 'hand-made', { type: 'kubernetes.io/tls', data: { 'tls.crt': tlsCrt } }),
    ]),
    expect: ['CertificateExpiring web', 'CertificateExpiring hand-made'],
  },
  {
    detector: 'cert-expiry',
    name: 'Certificate in 60 days',
    state: state([
      obj('cert-manager.io/v1', 'Certificate', 'web', {
        status: {
          notAfter: new Date(now + 60 * 86_400_000).toISOString(),
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      }),
    ]),
    expect: [],
  },
  {
    detector: 'node-resource-drift',
    name: 'CPU above 90% for the window; memory pressure',
    state: state(
      [
        node('n1'),
        node('n2', 'True', { conditions: [{ type: 'MemoryPressure', status: 'True' }] }),
      ],
      { nodeUsage: nodeUsage('n1', 7.6, 1e9) },
    ),
    expect: ['CPUSaturated n1', 'MemoryPressure n2'],
  },
  {
    detector: 'node-resource-drift',
    name: 'one dip below 90% is not sustained',
    state: state([node('n1')], {
      nodeUsage: [
        ...nodeUsage('n1', 7.6, 1e9).slice(0, 4),
        { node: 'n1', at: now, cpu: 4, memory: 1e9 },
      ],
    }),
    expect: [],
  },
  {
    detector: 'daily-cluster-report',
    name: 'always one report finding',
    state: state([node('n1'), pod('a')], {
      podUsage: [{ namespace: 'bots', name: 'a', cpu: 0.25, memory: 64 * 1024 ** 2 }],
    }),
    expect: ['DailyReport report-2026-12-02'],
  },
];

describe('detectors', () => {
  for (const c of cases) {
    test(`${c.detector}: ${c.name}`, () => {
      const d = detectors.find((x) => x.id === c.detector);
      assert.ok(d, c.detector);
      const found = d.detect(c.state, defaultDetectorOptions);
      assert.deepEqual(
        found.map((f) => `${f.reason} ${f.object.name}`),
        c.expect,
      );
      for (const f of found) {
        if (f.object.kind !== 'Node' && f.object.kind !== 'Cluster')
          assert.ok(f.object.namespace, 'namespaced');
        assert.equal(f.detector, d.id);
        assert.match(f.fingerprint, /^[0-9a-f]{16}$/);
        assert.ok(f.message.length > 0 && f.evidence.length > 0);
      }
      assert.deepEqual(d.detect(c.state, defaultDetectorOptions), found, 'deterministic');
    });
  }

  test('pods of one Deployment share a fingerprint across replacements; the log tail is the excerpt', () => {
    const d = detectors.find((x) => x.id === 'pod-restart-loop')!;
    const a = d.detect(
      state([crash('clovis-7c9f-a')], { logTails: { 'bots/clovis-7c9f-a/app': 'boom' } }),
      defaultDetectorOptions,
    )[0]!;
    const b = d.detect(state([crash('clovis-7c9f-b')]), defaultDetectorOptions)[0]!;
    assert.equal(a.fingerprint, b.fingerprint);
    assert.deepEqual(a.owner, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'clovis',
      namespace: 'bots',
    });
    assert.equal(a.excerpt, 'boom');
    assert.deepEqual(a.termination, { container: 'app', reason: 'Error', exitCode: 1 });
  });
});

describe('detector registry', () => {
  test('ids are unique kebab-case; every detector documents itself', () => {
    const ids = detectors.map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const d of detectors) {
      assert.match(d.id, /^[a-z]+(-[a-z0-9]+)*$/);
      assert.ok(d.description.length > 40, d.id);
      assert.ok(d.remediation.endsWith('.'), d.id);
      assert.ok(d.reads.length > 0, d.id);
      if (d.trigger === 'schedule') assert.ok(d.schedule, d.id);
    }
  });

  test("seed 003's seven checks are there by name", () => {
    for (const id of [
      'cluster-health-check',
      'pod-restart-loop',
      'pvc-pressure',
      'argocd-sync-health',
      'cert-expiry',
      'node-resource-drift',
      'daily-cluster-report',
    ])
      assert.ok(
        detectors.some((d) => d.id === id),
        id,
      );
  });

  test('every detector has a positive and a negative fixture', () => {
    for (const d of detectors) {
      const mine = cases.filter((c) => c.detector === d.id);
      assert.ok(
        mine.some((c) => c.expect.length > 0),
        `${d.id}: no case with findings`,
      );
      if (!d.always)
        assert.ok(
          mine.some((c) => c.expect.length === 0),
          `${d.id}: no case without findings`,
        );
    }
  });

  test('docs/detectors.md is generated from the registry (node --import tsx scripts/docs-detectors.ts)', () => {
    const doc = readFileSync(new URL('../../../docs/detectors.md', import.meta.url), 'utf8');
    assert.equal(doc, detectorsMarkdown());
  });
});
