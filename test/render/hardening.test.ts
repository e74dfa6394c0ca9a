// The hardening checklist (seeds 001 and 002, Pod Security restricted) asserted on every object of
// every example, so a renderer change that weakens one default fails here, not in a cluster.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/model/object.ts';
import { renderWorkspace } from '../../src/render/index.ts';
import { loadWorkspace } from '../../src/spec/adapters/files.ts';
import { parseQuantity } from '../../src/model/quantity.ts';
import { exampleDir, examples } from './examples.ts';

// The shapes these tests read from rendered objects.
interface Container {
  name: string;
  image: string;
  securityContext: {
    allowPrivilegeEscalation: boolean;
    capabilities: { drop: string[] };
    readOnlyRootFilesystem: boolean;
    seccompProfile: { type: string };
  };
  resources: Record<string, Record<string, string>>;
  startupProbe?: unknown;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  ports?: { containerPort: number }[];
}
interface PodSpec {
  securityContext: {
    runAsNonRoot: boolean;
    runAsUser: number;
    runAsGroup: number;
    seccompProfile: { type: string };
  };
  enableServiceLinks: boolean;
  initContainers?: Container[];
  containers: Container[];
  volumes?: {
    name: string;
    emptyDir?: { medium?: string; sizeLimit?: string };
    projected?: { sources: { serviceAccountToken?: { expirationSeconds?: number } }[] };
  }[];
  terminationGracePeriodSeconds: number;
  serviceAccountName: string;
  automountServiceAccountToken: boolean;
  affinity?: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: unknown[] } };
}
interface Workload extends KubeObject {
  spec: {
    replicas?: number;
    strategy: { type: string };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { annotations: Record<string, string> }; spec: PodSpec };
  };
}
interface Policy extends KubeObject {
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    egress: { ports: unknown[] }[];
  };
}
interface Scaler extends KubeObject {
  spec: {
    scaleTargetRef: { name: string };
    minReplicas?: number;
    minReplicaCount?: number;
    maxReplicaCount: number;
    fallback: { replicas: number };
    triggers: { type: string; metadata: Record<string, string> }[];
  };
}
interface Pdb extends KubeObject {
  spec: { minAvailable: number; unhealthyPodEvictionPolicy: string };
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface RoleObject extends KubeObject {
  rules: Rule[];
}
interface Binding extends KubeObject {
  subjects: { kind: string; name: string; namespace: string }[];
  automountServiceAccountToken?: boolean;
}
const as = <T>(objects: KubeObject[], kind: string | string[]) =>
  objects.filter((o) =>
    Array.isArray(kind) ? kind.includes(o.kind) : o.kind === kind,
  ) as unknown as T[];

const rendered = new Map<string, KubeObject[]>();
async function objectsOf(name: string): Promise<KubeObject[]> {
  let objects = rendered.get(name);
  if (!objects) {
    objects = renderWorkspace(await loadWorkspace(exampleDir(name)));
    rendered.set(name, objects);
  }
  return objects;
}
const workloads = (objects: KubeObject[]) => as<Workload>(objects, ['Deployment', 'StatefulSet']);
const id = (o: KubeObject) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;

for (const name of examples) {
  test(`hardening: pods and containers of ${name} meet Pod Security restricted and the seed checklist`, async () => {
    for (const w of workloads(await objectsOf(name))) {
      const pod = w.spec.template.spec;
      assert.equal(pod.securityContext.runAsNonRoot, true, id(w));
      assert.ok(pod.securityContext.runAsUser > 0 && pod.securityContext.runAsGroup > 0, id(w));
      assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault', id(w));
      assert.equal(pod.enableServiceLinks, false, id(w));
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        const sc = c.securityContext;
        assert.equal(sc.allowPrivilegeEscalation, false, `${id(w)} ${c.name}`);
        assert.deepEqual(sc.capabilities.drop, ['ALL'], `${id(w)} ${c.name}`);
        assert.equal(sc.readOnlyRootFilesystem, true, `${id(w)} ${c.name}`);
        assert.equal(sc.seccompProfile.type, 'RuntimeDefault');
        for (const kind of ['requests', 'limits'])
          for (const r of ['cpu', 'memory', 'ephemeral-storage'])
            assert.ok(c.resources[kind]?.[r], `${id(w)} ${c.name} ${kind}.${r}`);
        assert.doesNotMatch(c.image, /:latest$/);
        assert.match(c.image, /:[\w.-]+$|@sha256:/);
      }
      const main = pod.containers[0];
      assert.ok(main, id(w));
      assert.ok(main.startupProbe && main.livenessProbe && main.readinessProbe, `${id(w)} probes`);
      assert.notDeepEqual(
        main.livenessProbe,
        main.readinessProbe,
        `${id(w)} liveness must differ from readiness`,
      );
      const limit = parseQuantity(main.resources.limits?.['ephemeral-storage']) ?? Number.NaN;
      const disk = (pod.volumes ?? [])
        .filter((v) => v.emptyDir && v.emptyDir.medium !== 'Memory')
        .reduce((sum, v) => sum + (parseQuantity(v.emptyDir?.sizeLimit) ?? Number.NaN), 0);
      assert.ok(disk <= limit, `${id(w)} emptyDirs ${disk} > ephemeral limit ${limit}`);
      for (const v of pod.volumes ?? [])
        if (v.emptyDir) assert.ok(v.emptyDir.sizeLimit, `${id(w)} ${v.name} sizeLimit`);
      const preStop = main.lifecycle?.preStop?.sleep?.seconds ?? 0;
      assert.ok(preStop < pod.terminationGracePeriodSeconds, `${id(w)} preStop ${preStop}`);
      const annotations = w.spec.template.metadata.annotations;
      assert.match(annotations['berth.dev/config-hash'] ?? '', /^[0-9a-f]{16}$/);
      if (annotations['prometheus.io/scrape'] === 'true')
        assert.ok(
          (main.ports ?? []).some(
            (p) => String(p.containerPort) === annotations['prometheus.io/port'],
          ),
          `${id(w)} scrape port`,
        );
    }
  });

  test(`hardening: ${name} mounts a token only where API access is declared and bound`, async () => {
    const objects = await objectsOf(name);
    const bound = new Set(
      as<Binding>(objects, ['RoleBinding', 'ClusterRoleBinding']).flatMap((o) =>
        o.subjects.map((s) => `${s.namespace}/${s.name}`),
      ),
    );
    for (const sa of as<Binding>(objects, 'ServiceAccount'))
      assert.equal(sa.automountServiceAccountToken, false);
    for (const w of workloads(objects)) {
      const pod = w.spec.template.spec;
      assert.equal(pod.serviceAccountName, w.metadata.name, id(w));
      // A pool with scaling.busyToken gets a projected, pod-bound, short-lived token instead of
      // the automounted one (ADR 0135).
      const projected = (pod.volumes ?? [])
        .flatMap((v) => v.projected?.sources ?? [])
        .flatMap((s) => (s.serviceAccountToken ? [s.serviceAccountToken] : []));
      for (const token of projected) assert.ok((token.expirationSeconds ?? 3600) <= 600, id(w));
      if (projected.length > 0) assert.equal(pod.automountServiceAccountToken, false, id(w));
      assert.equal(
        pod.automountServiceAccountToken || projected.length > 0,
        bound.has(`${w.metadata.namespace}/${pod.serviceAccountName}`),
        id(w),
      );
    }
  });

  test(`hardening: ${name} namespaces enforce restricted, deny by default and allow DNS`, async () => {
    const objects = await objectsOf(name);
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
      const labels = ns.metadata.labels ?? {};
      for (const mode of ['enforce', 'audit', 'warn']) {
        assert.equal(labels[`pod-security.kubernetes.io/${mode}`], 'restricted');
        assert.match(labels[`pod-security.kubernetes.io/${mode}-version`] ?? '', /^v1\.\d+$/);
      }
      const policies = as<Policy>(objects, 'NetworkPolicy').filter(
        (o) => o.metadata.namespace === ns.metadata.name,
      );
      const deny = policies.find((p) => p.metadata.name === 'default-deny');
      assert.deepEqual(deny?.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      const dns = policies.find((p) => p.metadata.name === 'allow-dns');
      assert.deepEqual(dns?.spec.egress[0]?.ports, [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]);
    }
    for (const w of workloads(objects)) {
      const policy = as<Policy>(objects, 'NetworkPolicy').find(
        (o) => o.metadata.namespace === w.metadata.namespace && o.metadata.name === w.metadata.name,
      );
      assert.deepEqual(
        policy?.spec.podSelector.matchLabels,
        w.spec.selector.matchLabels,
        `${id(w)} has its NetworkPolicy`,
      );
    }
  });

  test(`hardening: ${name} singletons, autoscalers and disruption budgets agree`, async () => {
    const objects = await objectsOf(name);
    const scalers = as<Scaler>(objects, ['HorizontalPodAutoscaler', 'ScaledObject']);
    const pdbs = as<Pdb>(objects, 'PodDisruptionBudget');
    for (const w of workloads(objects)) {
      const scaler = scalers.find(
        (s) =>
          s.metadata.namespace === w.metadata.namespace &&
          s.spec.scaleTargetRef.name === w.metadata.name,
      );
      const pdb = pdbs.find(
        (p) => p.metadata.namespace === w.metadata.namespace && p.metadata.name === w.metadata.name,
      );
      if (w.metadata.annotations?.['berth.dev/singleton'] === 'true') {
        assert.equal(w.spec.replicas, 1);
        assert.equal(w.spec.strategy.type, 'Recreate');
        assert.ok(
          w.spec.template.spec.affinity?.podAntiAffinity
            .requiredDuringSchedulingIgnoredDuringExecution.length === 1,
        );
        assert.equal(scaler, undefined, `${id(w)} singleton must not autoscale`);
        assert.equal(pdb, undefined);
        continue;
      }
      const berthMin = w.metadata.annotations?.['berth.dev/min-replicas'];
      const berthScaled = w.metadata.annotations?.['berth.dev/autoscaler'] === 'berth';
      const min = scaler
        ? (scaler.spec.minReplicas ?? scaler.spec.minReplicaCount ?? 0)
        : berthScaled
          ? Number(berthMin)
          : (w.spec.replicas ?? 1);
      if (scaler || berthScaled)
        assert.equal(w.spec.replicas, undefined, `${id(w)}: the autoscaler owns replicas`);
      if (min >= 2) {
        assert.ok(pdb, `${id(w)} needs a PDB`);
        assert.ok(pdb.spec.minAvailable < min && pdb.spec.minAvailable >= 1, id(w));
        assert.equal(pdb.spec.unhealthyPodEvictionPolicy, 'AlwaysAllow');
      } else
        assert.equal(pdb, undefined, `${id(w)} has ${min} replica(s): a PDB would block drains`);
    }
  });
}

test('platform-engineer: read-mostly cluster access, no cluster-scoped writes, no secrets, no exec', async () => {
  const objects = await objectsOf('platform-engineer');
  const role = as<RoleObject>(objects, 'ClusterRole').find(
    (r) => r.metadata.name === 'platform-engineer-hermes',
  );
  assert.ok(role, "Hermes's ClusterRole");
  const writes = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
  const clusterScoped = new Set([
    'nodes',
    'namespaces',
    'persistentvolumes',
    'clusterroles',
    'clusterrolebindings',
    'customresourcedefinitions',
  ]);
  for (const rule of role.rules) {
    assert.ok(
      !rule.resources.includes('*') && !rule.verbs.includes('*') && !rule.apiGroups.includes('*'),
    );
    assert.ok(!rule.resources.includes('secrets'), 'no secrets');
    assert.ok(!rule.resources.includes('pods/exec'), 'no exec by default');
    if (rule.verbs.some((v) => writes.has(v)))
      for (const r of rule.resources) assert.ok(!clusterScoped.has(r.split('/')[0] ?? r), r);
  }
  const verbsOn = (resource: string) =>
    role.rules.filter((r) => r.resources.includes(resource)).flatMap((r) => r.verbs);
  assert.ok(verbsOn('pods').includes('delete'));
  assert.ok(verbsOn('deployments').includes('patch'));
  assert.ok(verbsOn('deployments/scale').includes('patch'));
  assert.ok(verbsOn('nodes').every((v) => ['get', 'list', 'watch'].includes(v)));
  const binding = as<Binding>(objects, 'ClusterRoleBinding').find(
    (b) => b.metadata.name === 'platform-engineer-hermes',
  );
  assert.deepEqual(binding?.subjects, [
    { kind: 'ServiceAccount', name: 'hermes', namespace: 'platform-engineer' },
  ]);
});

test("vapora: the 12 agent pools scale on their queues through berth's autoscaler", async () => {
  const objects = await objectsOf('vapora');
  assert.equal(as<Scaler>(objects, 'ScaledObject').length, 0, 'engine berth: no KEDA objects');
  const pools = workloads(objects).filter(
    (w) => w.metadata.annotations?.['berth.dev/autoscaler'] === 'berth',
  );
  assert.equal(pools.length, 12);
  for (const w of pools) {
    assert.equal(w.spec.replicas, undefined, 'the autoscaler owns replicas');
    const min = Number(w.metadata.annotations?.['berth.dev/min-replicas']);
    const max = Number(w.metadata.annotations?.['berth.dev/max-replicas']);
    assert.ok(Number.isInteger(min) && max >= Math.max(min, 1), id(w));
  }
  const roles = as<RoleObject>(objects, 'Role').filter(
    (r) => r.metadata.name === 'berth-autoscaler',
  );
  assert.deepEqual(roles.map((r) => r.metadata.namespace).sort(), [
    'vapora-agents',
    'vapora-system',
  ]);
});
