// Claims bind: at once for the default class, after scheduling for the WaitForFirstConsumer one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, StorageV1Api } from '@kubernetes/client-node';
import { testKubeConfig, testNamespace, waitFor } from '../support/cluster.ts';
import { restrictedPodSpec } from './restricted.ts';

const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };

function claim(name: string, storageClassName?: string) {
  return {
    metadata: { name },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      ...(storageClassName ? { storageClassName } : {}),
    },
  };
}

test('storage classes: standard is the default and binds immediately, standard-wffc waits', async () => {
  const storage = testKubeConfig().makeApiClient(StorageV1Api);
  const classes = (await storage.listStorageClass()).items;
  const byName = new Map(classes.map((c) => [c.metadata?.name, c]));
  const standard = byName.get('standard');
  assert.equal(
    standard?.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'],
    'true',
  );
  assert.equal(standard?.volumeBindingMode, 'Immediate');
  assert.equal(byName.get('standard-wffc')?.volumeBindingMode, 'WaitForFirstConsumer');
});

test('a claim without a class gets the default class and binds', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'pvc', labels: restricted });
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespacedPersistentVolumeClaim({ namespace, body: claim('data') });
  const bound = await waitFor('claim data to be Bound', async () => {
    const c = await core.readNamespacedPersistentVolumeClaim({ namespace, name: 'data' });
    return c.status?.phase === 'Bound' ? c : undefined;
  });
  assert.equal(bound.spec?.storageClassName, 'standard');
  assert.equal(bound.status?.capacity?.storage, '10Gi');
  const volume = await core.readPersistentVolume({ name: bound.spec?.volumeName ?? '' });
  assert.equal(volume.spec?.claimRef?.uid, bound.metadata?.uid);

  // Reclaim policy Delete: deleting the claim deletes its volume.
  await core.deleteNamespacedPersistentVolumeClaim({ namespace, name: 'data' });
  await waitFor(`volume ${volume.metadata?.name} to be deleted`, async () => {
    const left = await core.listPersistentVolume({
      fieldSelector: `metadata.name=${volume.metadata?.name}`,
    });
    return left.items.length === 0 ? true : undefined;
  });
});

test('a WaitForFirstConsumer claim binds only once its pod is scheduled, on that node', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wffc', labels: restricted });
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: claim('data', 'standard-wffc'),
  });
  // No consumer yet: the claim must stay Pending (give the provisioner time to misbehave).
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const waiting = await core.readNamespacedPersistentVolumeClaim({ namespace, name: 'data' });
  assert.equal(waiting.status?.phase, 'Pending');
  assert.equal(waiting.spec?.volumeName, undefined);

  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: 'consumer' },
      spec: restrictedPodSpec({
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        containers: [
          {
            ...restrictedPodSpec().containers[0]!,
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
      }),
    },
  });
  const pod = await waitFor('pod consumer to be Ready', async () => {
    const p = await core.readNamespacedPod({ namespace, name: 'consumer' });
    return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
      ? p
      : undefined;
  });
  const bound = await core.readNamespacedPersistentVolumeClaim({ namespace, name: 'data' });
  assert.equal(bound.status?.phase, 'Bound');
  const volume = await core.readPersistentVolume({ name: bound.spec?.volumeName ?? '' });
  const term = volume.spec?.nodeAffinity?.required?.nodeSelectorTerms[0];
  assert.deepEqual(term?.matchExpressions?.[0]?.values, [pod.spec?.nodeName]);
});

test('a StatefulSet with volume claim templates becomes ready', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'sts', labels: restricted });
  const apps = testKubeConfig().makeApiClient(AppsV1Api);
  const template = restrictedPodSpec();
  await apps.createNamespacedStatefulSet({
    namespace,
    body: {
      metadata: { name: 'store' },
      spec: {
        replicas: 2,
        serviceName: 'store',
        selector: { matchLabels: { app: 'store' } },
        template: {
          metadata: { labels: { app: 'store' } },
          spec: {
            ...template,
            containers: [
              { ...template.containers[0]!, volumeMounts: [{ name: 'data', mountPath: '/data' }] },
            ],
          },
        },
        volumeClaimTemplates: [claim('data', 'standard-wffc')],
      },
    },
  });
  const sts = await waitFor('StatefulSet store to have 2 ready replicas', async () => {
    const s = await apps.readNamespacedStatefulSet({ namespace, name: 'store' });
    return s.status?.readyReplicas === 2 ? s : undefined;
  });
  assert.equal(sts.status?.currentReplicas, 2);
});
