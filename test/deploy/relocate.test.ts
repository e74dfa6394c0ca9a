import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/model/object.ts';
import { relocate } from './relocate.ts';

test('relocate: namespaces, and the cluster-scoped roles and policies with the references to them', () => {
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bots' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'a', namespace: 'bots' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'view', namespace: 'bots' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'busy' },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'busy' },
      spec: {
        policyName: 'busy',
        matchResources: {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'bots' } },
        },
      },
    },
  ];
  const moved = relocate(objects, 'x1');
  const at = (kind: string, path: string): unknown =>
    path.split('.').reduce<unknown>(
      (v, k) => (v as Record<string, unknown> | undefined)?.[k],
      moved.find((o) => o.kind === kind),
    );
  assert.equal(at('Namespace', 'metadata.name'), 'bots-x1');
  assert.equal(at('ClusterRole', 'metadata.name'), 'reader-x1');
  assert.equal(at('ClusterRoleBinding', 'metadata.name'), 'reader-x1');
  assert.equal(at('ClusterRoleBinding', 'roleRef.name'), 'reader-x1');
  assert.equal(at('ClusterRoleBinding', 'subjects.0.namespace'), 'bots-x1');
  // A built-in ClusterRole the objects do not declare keeps its name.
  assert.equal(at('RoleBinding', 'roleRef.name'), 'view');
  assert.equal(at('RoleBinding', 'metadata.namespace'), 'bots-x1');
  assert.equal(at('ValidatingAdmissionPolicy', 'metadata.name'), 'busy-x1');
  const b = 'ValidatingAdmissionPolicyBinding';
  assert.equal(at(b, 'metadata.name'), 'busy-x1');
  assert.equal(at(b, 'spec.policyName'), 'busy-x1');
  assert.deepEqual(at(b, 'spec.matchResources.namespaceSelector.matchLabels'), {
    'kubernetes.io/metadata.name': 'bots-x1',
  });
});
