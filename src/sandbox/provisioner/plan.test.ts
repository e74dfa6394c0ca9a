import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1StorageClass,
} from '@kubernetes/client-node';
import {
  planProvisioning,
  provisionedByAnnotation,
  sandboxProvisioner,
  selectedNodeAnnotation,
} from './plan.ts';

const classes: V1StorageClass[] = [
  {
    metadata: {
      name: 'standard',
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: sandboxProvisioner,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  },
  {
    metadata: { name: 'standard-wffc' },
    provisioner: sandboxProvisioner,
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
  },
  { metadata: { name: 'other' }, provisioner: 'example.com/other' },
];

function claim(
  name: string,
  options: {
    storageClassName?: string;
    annotations?: Record<string, string>;
    volumeName?: string;
  } = {},
): V1PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, annotations: options.annotations },
    spec: {
      storageClassName: options.storageClassName,
      volumeName: options.volumeName,
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Gi' } },
    },
  };
}

const cases: {
  name: string;
  claims: V1PersistentVolumeClaim[];
  volumes?: V1PersistentVolume[];
  want: string[];
}[] = [
  {
    name: 'immediate claim gets a volume',
    claims: [claim('a', { storageClassName: 'standard' })],
    want: ['create pvc-uid-a for ns/a'],
  },
  {
    name: 'claim without class uses the default class',
    claims: [claim('a')],
    want: ['create pvc-uid-a for ns/a'],
  },
  {
    name: 'explicitly classless claim is left alone',
    claims: [claim('a', { storageClassName: '' })],
    want: [],
  },
  {
    name: 'other provisioner is left alone',
    claims: [claim('a', { storageClassName: 'other' })],
    want: [],
  },
  {
    name: 'WFFC claim waits for a selected node',
    claims: [claim('a', { storageClassName: 'standard-wffc' })],
    want: [],
  },
  {
    name: 'WFFC claim with a selected node gets a volume',
    claims: [
      claim('a', {
        storageClassName: 'standard-wffc',
        annotations: { [selectedNodeAnnotation]: 'n1' },
      }),
    ],
    want: ['create pvc-uid-a for ns/a'],
  },
  { name: 'bound claim is left alone', claims: [claim('a', { volumeName: 'pv-x' })], want: [] },
  {
    name: 'volume already made is not made again',
    claims: [claim('a')],
    volumes: [{ metadata: { name: 'pvc-uid-a' } }],
    want: [],
  },
  {
    name: 'released volume of ours with Delete policy is deleted',
    claims: [],
    volumes: [
      {
        metadata: {
          name: 'pvc-old',
          annotations: { [provisionedByAnnotation]: sandboxProvisioner },
        },
        spec: { persistentVolumeReclaimPolicy: 'Delete' },
        status: { phase: 'Released' },
      },
      {
        metadata: {
          name: 'pvc-kept',
          annotations: { [provisionedByAnnotation]: sandboxProvisioner },
        },
        spec: { persistentVolumeReclaimPolicy: 'Retain' },
        status: { phase: 'Released' },
      },
      {
        metadata: { name: 'foreign' },
        spec: { persistentVolumeReclaimPolicy: 'Delete' },
        status: { phase: 'Released' },
      },
    ],
    want: ['delete pvc-old'],
  },
];

for (const c of cases)
  test(`planProvisioning: ${c.name}`, () => {
    const actions = planProvisioning({ claims: c.claims, volumes: c.volumes ?? [], classes });
    const summary = actions.map((a) =>
      a.kind === 'create' ? `create ${a.volume.metadata?.name} for ${a.claim}` : `delete ${a.name}`,
    );
    assert.deepEqual(summary, c.want);
  });

test('planProvisioning: immediate volume is a hostPath volume bound to its claim', () => {
  const [action] = planProvisioning({ claims: [claim('a')], volumes: [], classes });
  assert.equal(action?.kind, 'create');
  if (action?.kind !== 'create') return;
  const spec = action.volume.spec;
  assert.deepEqual(spec?.capacity, { storage: '5Gi' });
  assert.deepEqual(spec?.accessModes, ['ReadWriteOnce']);
  assert.equal(spec?.storageClassName, 'standard');
  assert.equal(spec?.persistentVolumeReclaimPolicy, 'Delete');
  assert.deepEqual(spec?.claimRef, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    namespace: 'ns',
    name: 'a',
    uid: 'uid-a',
  });
  assert.ok(spec?.hostPath);
  assert.equal(spec?.nodeAffinity, undefined);
  assert.equal(action.volume.metadata?.annotations?.[provisionedByAnnotation], sandboxProvisioner);
});

test('planProvisioning: WFFC volume is pinned to the selected node', () => {
  const wffc = claim('a', {
    storageClassName: 'standard-wffc',
    annotations: { [selectedNodeAnnotation]: 'sandbox-node-2' },
  });
  const [action] = planProvisioning({ claims: [wffc], volumes: [], classes });
  assert.equal(action?.kind, 'create');
  if (action?.kind !== 'create') return;
  const spec = action.volume.spec;
  assert.ok(spec?.local);
  assert.equal(spec?.persistentVolumeReclaimPolicy, 'Retain');
  assert.deepEqual(spec?.nodeAffinity?.required?.nodeSelectorTerms, [
    {
      matchExpressions: [
        { key: 'kubernetes.io/hostname', operator: 'In', values: ['sandbox-node-2'] },
      ],
    },
  ]);
});
