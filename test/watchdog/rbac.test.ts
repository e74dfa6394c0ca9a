// The watchdog's generated RBAC on the sandbox, under a real ServiceAccount token (TokenRequest):
// every allowed action works, and a `kubectl auth can-i` matrix (SelfSubjectAccessReview) shows
// nothing else is possible: no cluster-scoped writes, no RBAC, no Secrets, no exec, no nodes/proxy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { connectKube } from '../../src/kube/connect.ts';
import { ConfigMapOutboxStore } from '../../src/notify/outbox/configmap-store.ts';
import { emptyOutbox } from '../../src/notify/outbox/state.ts';
import { KubeActuator } from '../../src/watchdog/adapters/actions.ts';
import { ConfigMapStore } from '../../src/watchdog/adapters/configmap-store.ts';
import { detectors } from '../../src/watchdog/detectors/index.ts';
import { watchdogRbac } from '../../src/watchdog/rbac.ts';
import {
  applyObjects,
  serviceAccountKubeConfig,
  testKubeConfig,
  testNamespace,
} from '../support/cluster.ts';
import { canIMismatches, type CanIRow } from '../support/can-i.ts';
import { deployment, kubeconfigFile } from './support.ts';

test('watchdog RBAC: the allowed actions work under its token; a can-i matrix shows nothing else', async (t) => {
  const namespace = await testNamespace(t, { prefix: 'wd-rbac' });
  const objects = watchdogRbac({
    namespace,
    detectors,
    actions: ['rollout-restart', 'delete-pod', 'scale', 'delete-job'],
    include: [namespace],
  });
  await applyObjects(objects);
  const rbac = testKubeConfig().makeApiClient(RbacAuthorizationV1Api);
  t.after(async () => {
    for (const o of objects) {
      if (o.kind === 'ClusterRole')
        await rbac.deleteClusterRole({ name: o.metadata.name }).catch(() => undefined);
      if (o.kind === 'ClusterRoleBinding')
        await rbac.deleteClusterRoleBinding({ name: o.metadata.name }).catch(() => undefined);
    }
  });
  await applyObjects([{ ...deployment('web'), metadata: { name: 'web', namespace } }] as never);
  const kube = await connectKube({
    kubeconfig: await kubeconfigFile(await serviceAccountKubeConfig(namespace, 'berth-watchdog')),
  });
  t.after(() => kube.close());

  const matrix: CanIRow[] = [
    ['list', 'pods', undefined, true],
    ['watch', 'nodes', undefined, true],
    ['watch', 'events', undefined, true],
    ['list', 'deployments', 'default', true, { group: 'apps' }],
    ['get', 'pods', namespace, true, { subresource: 'log' }],
    ['list', 'nodes', undefined, true, { group: 'metrics.k8s.io' }],
    ['patch', 'deployments', namespace, true, { group: 'apps' }],
    ['delete', 'pods', namespace, true],
    ['patch', 'deployments', namespace, true, { group: 'apps', subresource: 'scale' }],
    ['delete', 'jobs', namespace, true, { group: 'batch' }],
    ['create', 'configmaps', namespace, true],
    ['patch', 'configmaps', namespace, true, { name: 'berth-watchdog-ledger' }],
    ['patch', 'configmaps', namespace, true, { name: 'berth-watchdog-outbox' }],
    // Nothing else:
    ['patch', 'deployments', 'default', false, { group: 'apps' }],
    ['delete', 'pods', 'default', false],
    ['delete', 'deployments', namespace, false, { group: 'apps' }],
    ['create', 'deployments', namespace, false, { group: 'apps' }],
    ['patch', 'configmaps', namespace, false, { name: 'someone-elses' }],
    ['get', 'secrets', namespace, false],
    ['list', 'secrets', undefined, false],
    ['create', 'pods', namespace, false, { subresource: 'exec' }],
    ['get', 'nodes', undefined, false, { subresource: 'proxy' }],
    ['patch', 'nodes', undefined, false],
    ['delete', 'nodes', undefined, false],
    ['create', 'namespaces', undefined, false],
    ['delete', 'namespaces', undefined, false],
    ['create', 'clusterroles', undefined, false, { group: 'rbac.authorization.k8s.io' }],
    ['create', 'rolebindings', namespace, false, { group: 'rbac.authorization.k8s.io' }],
    ['bind', 'clusterroles', undefined, false, { group: 'rbac.authorization.k8s.io' }],
    ['create', 'customresourcedefinitions', undefined, false, { group: 'apiextensions.k8s.io' }],
    ['create', 'serviceaccounts', namespace, false, { subresource: 'token' }],
  ];
  assert.deepEqual(await canIMismatches(kube, matrix), []);

  // The allowed actions work under the token: restart (with its inverse read first), the ledger.
  const actuator = new KubeActuator(kube);
  const action = {
    action: 'rollout-restart' as const,
    target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'web' },
    command: '',
  };
  const inverse = await actuator.inverseFor(action);
  await actuator.execute(action);
  const ledger = new ConfigMapStore<unknown[]>(
    kube,
    namespace,
    'berth-watchdog-ledger',
    'entries.json',
  );
  await ledger.save([{ inverse }]);
  assert.deepEqual(await ledger.load(), [{ inverse }]);
  const outbox = new ConfigMapOutboxStore(kube, { namespace });
  await outbox.save(emptyOutbox());
  await outbox.save({ ...emptyOutbox(), delivered: 0, recent: ['t|x'] });
  assert.deepEqual((await outbox.load())?.recent, ['t|x'], 'outbox created and patched');
  await assert.rejects(
    kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace }),
    /forbidden/i,
  );
});
