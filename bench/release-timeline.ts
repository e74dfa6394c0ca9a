// Where a rollback's time goes (issue 7 §8): vapora installed and upgraded by berth on the
// sandbox, then `berth rollback --to-revision 1 --wait` while informers record, per Deployment, when each rollout milestone is seen:
//   applied     the restored spec is on the server (generation bumped)
//   helm-ready  the new ReplicaSet has spec.replicas - maxUnavailable ready pods (Helm 3's --wait)
//   old-zero    every older ReplicaSet is scaled to 0 (spec.replicas) by the Deployment controller
//   observed    the same seen on the ReplicaSets and pods (ADR 0150, berth's wait): the current
//               template's ReplicaSet at spec.replicas with that many Ready pods, every other
//               ReplicaSet at 0 with its pods terminating or gone
//   complete    kstatus / `kubectl rollout status`: observedGeneration current, updated = ready =
//               available = replicas, no old replica counted, Progressing NewReplicaSetAvailable
//   pods-gone   no pod of an older ReplicaSet exists any more (terminating ones included)
// and prints the latest of each across Deployments, relative to the tool's start, with the
// tool's own exit. Not a *.bench.ts: run by hand, `node --import tsx bench/release-timeline.ts`
// (BERTH_BENCH_KUBECONFIG, the built CLI in dist/); arguments are added to the rollback's
// (`-- --no-surge`).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectKube } from '../src/kube/connect.ts';
import { observedRollout } from '../src/deploy/readiness/rollout.ts';
import { Informer } from '../src/kube/informer.ts';
import type { KubeObject } from '../src/model/object.ts';
import { renderWorkspace, toYamlStream } from '../src/render/index.ts';
import { loadWorkspace } from '../src/spec/adapters/files.ts';
import { clusterScopedNames, roundObjects } from './release-objects.ts';

const root = join(import.meta.dirname, '..');
const kubeconfig = process.env.BERTH_BENCH_KUBECONFIG;
if (!kubeconfig) throw new Error('set BERTH_BENCH_KUBECONFIG');
const berthEntry = process.env.BERTH_BENCH_CLI ?? join(root, 'dist', 'cli', 'main.js');
const suffix = `p${Date.now().toString(36)}`;
const rendered = roundObjects(
  renderWorkspace(await loadWorkspace(join(root, 'examples', 'vapora'))),
  suffix,
);
const namespaces = rendered.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
const upgraded = rendered.map((o) => {
  if (o.kind !== 'Deployment') return o;
  const copy = structuredClone(o);
  const c = (copy.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
    .containers[0];
  if (c) c.image = `${c.image.split(':')[0]}:bench-v2`;
  return copy;
});
const dir = mkdtempSync(join(tmpdir(), 'berth-timeline-'));
writeFileSync(join(dir, 'v1.yaml'), toYamlStream(rendered));
writeFileSync(join(dir, 'v2.yaml'), toYamlStream(upgraded));
const release = `vapora-${suffix}`;
const releaseNs = `vapora-system-${suffix}`;
const env = { ...process.env, KUBECONFIG: kubeconfig };

function run(
  args: string[],
  log = false,
): Promise<{ code: number; ms: number; lines: [number, string][] }> {
  const start = performance.now();
  const lines: [number, string][] = [];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [berthEntry, ...args], { env });
    const take = (chunk: Buffer) => {
      for (const l of chunk.toString().split('\n'))
        if (l.trim()) {
          lines.push([performance.now() - start, l]);
          if (log) console.log(`  ${Math.round(performance.now() - start)} ms  ${l}`);
        }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => resolve({ code: code ?? 1, ms: performance.now() - start, lines }));
  });
}

const flags = ['--release', release, '-n', releaseNs, '--wait', '--timeout', '5m'];
for (const f of ['v1.yaml', 'v2.yaml']) {
  const r = await run(['apply', join(dir, f), ...flags]);
  if (r.code !== 0) throw new Error(`apply ${f}: ${r.lines.map((l) => l[1]).join('\n')}`);
  console.log(`apply ${f}: ${Math.round(r.ms)} ms`);
}

const api = await connectKube({ kubeconfig, env: {} });
const live = new Map<string, KubeObject>();
const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
const informers = namespaces.flatMap((namespace) =>
  [
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
    { apiVersion: 'v1', kind: 'Pod' },
  ].map((c) => new Informer(api, { ...c, namespace })),
);
let t0 = 0;
const firstSeen = new Map<string, Map<string, number>>();
const mark = (deployment: string, milestone: string) => {
  const m = firstSeen.get(deployment) ?? new Map<string, number>();
  if (!m.has(milestone)) m.set(milestone, performance.now() - t0);
  firstSeen.set(deployment, m);
};
const startGeneration = new Map<string, number>();
const evaluate = () => {
  if (!t0) return;
  for (const d of live.values()) {
    if (d.kind !== 'Deployment') continue;
    const k = key(d);
    const gen = Number(d.metadata.generation ?? 0);
    if (gen <= (startGeneration.get(k) ?? gen)) continue;
    mark(k, 'applied');
    const spec = d.spec as { replicas?: number };
    const st = (d.status ?? {}) as Record<string, number | undefined> & {
      conditions?: { type: string; reason?: string }[];
    };
    const replicas = spec.replicas ?? 1;
    const uid = d.metadata.uid;
    const rss = [...live.values()].filter(
      (o) =>
        o.kind === 'ReplicaSet' &&
        (o.metadata.ownerReferences as { uid: string }[] | undefined)?.some((r) => r.uid === uid),
    );
    const revision = d.metadata.annotations?.['deployment.kubernetes.io/revision'];
    const newest = rss.find(
      (r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision,
    );
    const olds = rss.filter((r) => r !== newest);
    if (!newest || Number(st.observedGeneration ?? 0) < gen) continue;
    const ready = Number((newest.status as { readyReplicas?: number }).readyReplicas ?? 0);
    if (ready >= replicas) mark(k, 'helm-ready');
    if (olds.every((r) => Number((r.spec as { replicas?: number }).replicas ?? 0) === 0))
      mark(k, 'old-zero');
    const complete =
      st.updatedReplicas === replicas &&
      st.replicas === replicas &&
      st.availableReplicas === replicas &&
      st.readyReplicas === replicas &&
      (st.conditions ?? []).some(
        (c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable',
      );
    if (complete) mark(k, 'complete');
    const pods = [...live.values()].filter(
      (o) => o.kind === 'Pod' && o.metadata.namespace === d.metadata.namespace,
    );
    if (observedRollout(d, { replicaSets: rss, pods })) mark(k, 'observed');
    const hashOf = (o: KubeObject) => o.metadata.labels?.['pod-template-hash'];
    const newHash = hashOf(newest);
    const oldPods = [...live.values()].filter(
      (o) =>
        o.kind === 'Pod' &&
        o.metadata.namespace === d.metadata.namespace &&
        olds.some((r) => hashOf(r) === hashOf(o)) &&
        hashOf(o) !== newHash,
    );
    if (complete && oldPods.length === 0) mark(k, 'pods-gone');
  }
};
for (const i of informers) {
  i.on('add', (o) => (live.set(key(o), o), evaluate()));
  i.on('update', (o) => (live.set(key(o), o), evaluate()));
  i.on('delete', (o) => (live.delete(key(o)), evaluate()));
}
await Promise.all(informers.map((i) => i.start()));
for (const d of live.values())
  if (d.kind === 'Deployment') startGeneration.set(key(d), Number(d.metadata.generation ?? 0));
t0 = performance.now();
const r = await run(
  [
    'rollback',
    release,
    '-n',
    releaseNs,
    '--to-revision',
    '1',
    '--wait',
    '--timeout',
    '5m',
    ...process.argv.slice(2),
  ],
  true,
);
await new Promise((res) => setTimeout(res, 3000));
const milestones = ['applied', 'helm-ready', 'old-zero', 'observed', 'complete', 'pods-gone'];
console.log(`berth rollback exited ${r.code} after ${Math.round(r.ms)} ms`);
for (const m of milestones) {
  const times = [...firstSeen.values()].map((x) => x.get(m) ?? NaN);
  const worst = Math.max(...times);
  const first = Math.min(...times);
  console.log(
    `  ${m.padEnd(10)} first ${Math.round(first)} ms, last ${Math.round(worst)} ms (${times.filter((t) => !Number.isNaN(t)).length}/${firstSeen.size} Deployments)`,
  );
}
for (const [d, m] of [...firstSeen].sort()) {
  console.log(`  ${d}: ${milestones.map((x) => `${x} ${Math.round(m.get(x) ?? NaN)}`).join(', ')}`);
}
await Promise.all(informers.map((i) => i.stop()));
api.close();
spawn('kubectl', [
  '--kubeconfig',
  kubeconfig,
  'delete',
  '--wait=false',
  ...clusterScopedNames(rendered),
]);
const del = spawn(
  'kubectl',
  ['--kubeconfig', kubeconfig, 'delete', 'namespace', '--wait=false', ...namespaces],
  {
    stdio: 'inherit',
  },
);
await new Promise((res) => del.on('close', res));
