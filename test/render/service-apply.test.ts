// Acceptance (issue 11 §4): berth's own service, rendered from examples/platform-engineer, applies
// on the sandbox under Pod Security `restricted` and becomes Ready; the rendered identity passes
// the service's self-audit (ADR 0102) on the real API server, may do what the allowlist says and
// nothing else, and elects a leader on the rendered Lease without being allowed to create one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthorizationV1Api } from '@kubernetes/client-node';
import { applyObjects } from '../../src/deploy/apply.ts';
import { connectKube } from '../../src/kube/connect.ts';
import { systemClock } from '../../src/kube/http/transport.ts';
import { LeaseElector } from '../../src/kube/leader.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { auditOwnPower } from '../../src/service/adapters/self-audit.ts';
import { neededRules } from '../../src/service/self-audit.ts';
import { cleanUpAfter, renderExample, testClient, uniqueSuffix } from '../deploy/support.ts';
import { serviceAccountKubeConfig } from '../support/cluster.ts';
import { kubeconfigFile } from '../watchdog/support.ts';
import { startServe, until } from '../service/serve-support.ts';
import { startFakeChat } from '../support/fake-chat.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Cluster-scoped names get the suffix too, so parallel tests of the example never share them. */
function renameClusterScoped(objects: KubeObject[], suffix: string): KubeObject[] {
  const renamed = (name: string) => `${name}-${suffix}`;
  return objects.map((o) => {
    if (o.kind === 'ClusterRole')
      return { ...o, metadata: { ...o.metadata, name: renamed(o.metadata.name) } };
    if (o.kind === 'ClusterRoleBinding') {
      const b = o as KubeObject & { roleRef: { name: string } };
      return {
        ...b,
        metadata: { ...b.metadata, name: renamed(b.metadata.name) },
        roleRef: { ...b.roleRef, name: renamed(b.roleRef.name) },
      };
    }
    if (o.kind === 'RoleBinding') {
      const b = o as KubeObject & { roleRef: { kind: string; name: string } };
      if (b.roleRef.kind === 'ClusterRole')
        return { ...b, roleRef: { ...b.roleRef, name: renamed(b.roleRef.name) } };
    }
    return o;
  });
}

test('acceptance: berth’s service from examples/platform-engineer applies under restricted, is Ready, and its identity holds exactly its policy', async (t) => {
  const client = await testClient(t);
  const suffix = uniqueSuffix();
  const all = renameClusterScoped(await renderExample('platform-engineer', suffix), suffix);
  const ns = `platform-engineer-${suffix}`;
  // The service, its namespace (with default-deny and DNS), and the secrets it consumes.
  const objects = all.filter(
    (o) =>
      o.kind === 'Namespace' ||
      o.metadata.labels?.['berth.dev/component'] === 'berth' ||
      (o.kind === 'NetworkPolicy' && ['default-deny', 'allow-dns'].includes(o.metadata.name)) ||
      (o.kind === 'ExternalSecret' && o.metadata.name.startsWith('berth-')),
  );
  cleanUpAfter(t, client, objects);
  const kinds = [...new Set(objects.map((o) => o.kind))].sort();
  for (const k of [
    'Deployment',
    'Lease',
    'PodDisruptionBudget',
    'NetworkPolicy',
    'Ingress',
    'ClusterRole',
  ])
    assert.ok(kinds.includes(k), `${k} is rendered`);
  const namespace = objects.find((o) => o.kind === 'Namespace');
  assert.equal(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');

  const started = Date.now();
  const result = await applyObjects(client, objects, { wait: true, timeoutMs: 180_000 });
  const applyMs = Date.now() - started;
  const problems = result.objects.filter((o) => o.action !== 'applied' || o.status !== 'Current');
  assert.deepEqual(problems, [], `outcome ${result.outcome}`);
  assert.equal(result.outcome, 'ready');
  const serious = result.warnings.filter((w) => /PodSecurity|deprecated/i.test(w.message));
  assert.deepEqual(serious, [], 'no Pod Security or deprecation warnings');
  // The wait judges a rollout on its ReplicaSets and pods (ADR 0150), which can be before the
  // deployment controller writes the same fact into the Deployment's status: read it until it has.
  const readyReplicas = await until(
    "the Deployment's status to count 2 ready replicas",
    async () => {
      const d = await client.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: ns,
        name: 'berth',
      });
      const ready = (d as { status?: { readyReplicas?: number } } | undefined)?.status
        ?.readyReplicas;
      return ready === 2 ? ready : undefined;
    },
    15_000,
  );
  assert.equal(readyReplicas, 2);
  t.diagnostic(`${objects.length} objects applied and Ready in ${applyMs} ms`);

  // The rendered identity, with a short-lived token of its ServiceAccount.
  const kc = await serviceAccountKubeConfig(ns, 'berth');
  const sa = await connectKube({ kubeconfig: await kubeconfigFile(kc) });
  t.after(() => sa.close());
  const own = await auditOwnPower(sa, [ns, 'default']);
  assert.deepEqual(own.excess, [], 'the self-audit finds no excess power');
  // Against what the render granted (ADR 0141): nothing reviewed is beyond it, in any namespace
  // berth names (this identity may not list namespaces; the audit says so).
  const needed = neededRules(objects, { name: 'berth', namespace: ns });
  const strict = await auditOwnPower(sa, [ns, 'default', 'kube-system'], {
    needed,
    allNamespaces: true,
  });
  assert.deepEqual(strict.excess, [], 'nothing beyond the generated role');
  assert.match(strict.notes.join('\n'), /cannot list namespaces/);

  const reviews = kc.makeApiClient(AuthorizationV1Api);
  const can = async (
    verb: string,
    resource: string,
    namespace?: string,
    extra: Record<string, string> = {},
  ) => {
    const r = await reviews.createSelfSubjectAccessReview({
      body: {
        spec: {
          resourceAttributes: { verb, resource, ...(namespace ? { namespace } : {}), ...extra },
        },
      },
    });
    return r.status?.allowed === true;
  };
  const expectations: [string, string, string | undefined, Record<string, string>, boolean][] = [
    ['patch', 'deployments', 'default', { group: 'apps' }, true], // rollout-restart
    ['delete', 'pods', 'default', {}, true], // delete-pod
    ['patch', 'deployments', 'default', { group: 'apps', subresource: 'scale' }, false], // scale: not allowed
    ['delete', 'jobs', 'default', { group: 'batch' }, false], // delete-job: not allowed
    ['list', 'pods', 'default', {}, true],
    ['get', 'secrets', ns, {}, false],
    ['list', 'secrets', 'default', {}, false],
    ['create', 'pods', 'default', { subresource: 'exec' }, false],
    ['delete', 'namespaces', undefined, {}, false],
    ['patch', 'nodes', undefined, {}, false],
    ['create', 'leases', ns, { group: 'coordination.k8s.io' }, false],
    ['update', 'leases', ns, { group: 'coordination.k8s.io', name: 'berth-service' }, true],
    ['update', 'leases', ns, { group: 'coordination.k8s.io', name: 'other' }, false],
    ['create', 'rolebindings', ns, { group: 'rbac.authorization.k8s.io' }, false],
  ];
  const wrong: string[] = [];
  for (const [verb, resource, namespace, extra, allowed] of expectations)
    if ((await can(verb, resource, namespace, extra)) !== allowed)
      wrong.push(
        `${verb} ${extra.subresource ? `${resource}/${extra.subresource}` : resource} in ${namespace ?? 'cluster'}: expected ${allowed ? 'allowed' : 'denied'}`,
      );
  assert.deepEqual(wrong, []);

  // Leader election on the rendered Lease works with get/update/patch alone.
  const elector = new LeaseElector(sa, {
    namespace: ns,
    name: 'berth-service',
    identity: `test-${suffix}`,
    clock: systemClock,
    fieldManager: 'berth-service',
  });
  assert.equal(await elector.tick(), true, 'the rendered identity takes the rendered Lease');
  await elector.stop();

  // `berth serve` itself, as a local process with that token, on the spec the ConfigMap holds
  // (kwok pods run no containers). --dry-run: the shared sandbox's other workloads are never
  // touched; notifications go to a local fake Discord.
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'berth-spec') as
    (KubeObject & { data: Record<string, string> }) | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'berth-service-spec-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'spec.yaml'), cm?.data['spec.yaml'] ?? '');
  const chat = await startFakeChat();
  t.after(() => chat.close());
  const serve = startServe({
    identity: `berth-${suffix}`,
    dir,
    kubeconfig: await kubeconfigFile(kc),
    namespace: ns,
    env: {
      DISCORD_BOT_TOKEN: chat.botToken,
      DISCORD_HOME_CHANNEL: '1180000000000000001',
      DISCORD_API_BASE: chat.discordApiBase,
    },
    extra: ['--dry-run'],
  });
  t.after(() => {
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
  });
  const startedServe = Date.now();
  await until(
    'berth serve to lead under the rendered identity',
    async () =>
      (await serve.leaderGauge()) === 1 ? true : serve.child.exitCode !== null ? false : undefined,
    90_000,
    500,
  ).then((ok) =>
    assert.ok(ok, `berth serve exited ${serve.child.exitCode}:\n${serve.lines.join('\n')}`),
  );
  t.diagnostic(
    `berth serve leads under the rendered identity after ${Date.now() - startedServe} ms`,
  );
  // Secrets are not granted (cert-expiry reads TLS Secrets only with tlsSecrets, ADR 0094): the
  // watchdog says so and goes on; nothing else may be forbidden, and no power is in excess.
  // The rendered role may not list namespaces: the self-audit says it reviewed only its own.
  const refused = serve.lines.filter(
    (l) =>
      /excess power|forbidden/i.test(l) &&
      !/not watching Secret: forbidden by RBAC/.test(l) &&
      !/self-audit: cannot list namespaces/.test(l),
  );
  assert.ok(serve.lines.some((l) => /self-audit: cannot list namespaces/.test(l)));
  assert.deepEqual(refused, [], serve.lines.join('\n'));
  serve.child.kill('SIGTERM');
  assert.equal(await serve.exited(), 0, serve.lines.join('\n'));
});
