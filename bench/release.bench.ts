// Release benchmark (issue 7 §8): vapora on the sandbox, berth against Helm v3.22.0 (built by
// bench/install-peers.sh or scripts/setup.sh) and kubectl, same cluster, same run, alternating who
// goes first, median of 5. Per round and tool, fresh namespaces: install (revision 1), upgrade
// (every Deployment's image changed, revision 2), rollback to revision 1, all with --wait; and a
// diff of the upgrade against the installed release, berth diff vs kubectl diff.
// Helm gets vapora's rendered objects wrapped in a chart (static templates). Whole-process wall
// times. BERTH_BENCH_KUBECONFIG runs against an existing cluster instead of starting the sandbox.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findHelm } from '../src/input/tools.ts';
import type { KubeObject } from '../src/model/object.ts';
import { renderWorkspace, toYamlStream } from '../src/render/index.ts';
import { loadWorkspace } from '../src/spec/adapters/files.ts';
import { median, measureProcess, report } from './measure.ts';
import { clusterScopedNames, roundObjects } from './release-objects.ts';

const rounds = Number(process.env.BERTH_BENCH_ROUNDS ?? 5);
const root = join(import.meta.dirname, '..');
const peersHelm = join(
  process.env.BERTH_PEERS_BIN ?? join(homedir(), '.cache', 'berth', 'peers', 'bin'),
  'helm',
);
const helm = findHelm(process.env) ?? (existsSync(peersHelm) ? peersHelm : undefined);
if (!helm) {
  console.log(
    'helm not found: run bench/install-peers.sh (or scripts/setup.sh); release bench skipped',
  );
  process.exit(1);
}
let kubeconfig = process.env.BERTH_BENCH_KUBECONFIG;
if (!kubeconfig) {
  const { startSandbox } = await import('../src/sandbox/index.ts');
  kubeconfig = (await startSandbox({ log: (l) => console.log(`  sandbox: ${l}`) })).kubeconfig;
}
const env = {
  ...process.env,
  KUBECONFIG: kubeconfig,
  HELM_CACHE_HOME: mkdtempSync(join(tmpdir(), 'helm-')),
};
// BERTH_BENCH_CLI: another build of the CLI (a copy of dist/, safe from a rebuild mid-run).
const berthEntry = process.env.BERTH_BENCH_CLI ?? join(root, 'dist', 'cli', 'main.js');
if (!existsSync(berthEntry)) throw new Error('dist/cli/main.js is missing: npm run build');

const rendered = renderWorkspace(await loadWorkspace(join(root, 'examples', 'vapora')));
const namespaces = rendered.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
const dir = mkdtempSync(join(tmpdir(), 'berth-bench-release-'));
console.log(`vapora: ${rendered.length} objects; helm ${helm}`);

function upgraded(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Deployment') return o;
    const copy = structuredClone(o);
    const c = (copy.spec as { template: { spec: { containers: { image: string }[] } } }).template
      .spec.containers[0];
    if (c) c.image = `${c.image.split(':')[0]}:bench-v2`;
    return copy;
  });
}

/** A chart holding `objects` as static templates (what a team wrapping rendered YAML would do). */
function writeChart(path: string, objects: readonly KubeObject[]): void {
  mkdirSync(join(path, 'templates'), { recursive: true });
  writeFileSync(join(path, 'Chart.yaml'), 'apiVersion: v2\nname: vapora\nversion: 0.1.0\n');
  objects.forEach((o, i) =>
    writeFileSync(
      join(path, 'templates', `${String(i).padStart(3, '0')}.yaml`),
      stringify(o, { version: '1.1' }),
    ),
  );
}

function run(command: string, args: string[]): number {
  const r = measureProcess(command, args, { env, cwd: root });
  if (r.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`,
    );
  return r.ms;
}

/** `kubectl diff` exits 1 when there are differences: that is success here. */
function runDiff(command: string, args: string[]): number {
  const r = measureProcess(command, args, { env, cwd: root });
  if (r.status !== 1)
    throw new Error(
      `${command} ${args.join(' ')}: expected exit 1, got ${r.status}\n${r.stderr.slice(-2000)}`,
    );
  return r.ms;
}

const times: Record<string, number[]> = {
  berthInstall: [],
  helmInstall: [],
  berthUpgrade: [],
  helmUpgrade: [],
  berthRollback: [],
  helmRollback: [],
  helmRollbackComplete: [],
  berthDiff: [],
  kubectlDiff: [],
};
const stamp = Date.now().toString(36);

function cleanUp(suffix: string, helmRelease?: string): void {
  const scoped = clusterScopedNames(roundObjects(rendered, suffix));
  if (scoped.length)
    measureProcess('kubectl', ['delete', '--ignore-not-found', '--wait=false', ...scoped], { env });
  if (helmRelease)
    measureProcess(
      helm as string,
      ['uninstall', helmRelease, '-n', 'default', '--wait', '--timeout', '3m'],
      { env },
    );
  const names = namespaces.map((ns) => `${ns}-${suffix}`);
  const del = measureProcess(
    'kubectl',
    ['delete', 'namespace', '--ignore-not-found', '--timeout=180s', ...names],
    { env },
  );
  if (del.status !== 0) console.log(`note: cleanup of ${names.join(', ')} failed: ${del.stderr}`);
}

function roundFor(tool: 'berth' | 'helm', i: number): void {
  const suffix = `r${stamp}${i}${tool[0]}`;
  const v1 = roundObjects(rendered, suffix);
  const v2 = upgraded(v1);
  const release = `vapora-${suffix}`;
  const f1 = join(dir, `${suffix}-v1.yaml`);
  const f2 = join(dir, `${suffix}-v2.yaml`);
  writeFileSync(f1, toYamlStream(v1));
  writeFileSync(f2, toYamlStream(v2));
  try {
    if (tool === 'berth') {
      const flags = [
        '--release',
        release,
        '-n',
        `vapora-system-${suffix}`,
        '--wait',
        '--timeout',
        '5m',
      ];
      times.berthInstall?.push(run(process.execPath, [berthEntry, 'apply', f1, ...flags]));
      times.berthDiff?.push(
        runDiff(process.execPath, [
          berthEntry,
          'diff',
          f2,
          '--release',
          release,
          '-n',
          `vapora-system-${suffix}`,
        ]),
      );
      times.kubectlDiff?.push(runDiff('kubectl', ['diff', '-f', f2]));
      times.berthUpgrade?.push(run(process.execPath, [berthEntry, 'apply', f2, ...flags]));
      times.berthRollback?.push(
        run(process.execPath, [
          berthEntry,
          'rollback',
          release,
          '-n',
          `vapora-system-${suffix}`,
          '--to-revision',
          '1',
          '--wait',
          '--timeout',
          '5m',
        ]),
      );
    } else {
      const c1 = join(dir, `${suffix}-chart-v1`);
      const c2 = join(dir, `${suffix}-chart-v2`);
      writeChart(c1, v1);
      writeChart(c2, v2);
      const flags = ['-n', 'default', '--wait', '--timeout', '5m'];
      times.helmInstall?.push(run(helm as string, ['upgrade', '--install', release, c1, ...flags]));
      times.helmUpgrade?.push(run(helm as string, ['upgrade', '--install', release, c2, ...flags]));
      const rollback = run(helm as string, ['rollback', release, '1', ...flags]);
      times.helmRollback?.push(rollback);
      // Helm 3's --wait returns once each new ReplicaSet has replicas - maxUnavailable ready
      // pods; berth's (kstatus, `kubectl rollout status`) also waits until the old ReplicaSets
      // are scaled to 0 and the Deployment says the rollout is complete. The same guarantee for
      // Helm: its --wait, then `kubectl rollout status` of the Deployments (ADR 0125).
      const workloads = join(dir, `${suffix}-deployments.yaml`);
      writeFileSync(workloads, toYamlStream(v1.filter((o) => o.kind === 'Deployment')));
      times.helmRollbackComplete?.push(
        rollback + run('kubectl', ['rollout', 'status', '-f', workloads, '--timeout=5m']),
      );
    }
  } finally {
    cleanUp(suffix, tool === 'helm' ? release : undefined);
  }
}

for (let i = 0; i < rounds; i++) {
  const order: ('berth' | 'helm')[] = i % 2 === 0 ? ['berth', 'helm'] : ['helm', 'berth'];
  for (const tool of order) roundFor(tool, i);
  const last = (k: string) => Math.round(times[k]?.at(-1) ?? 0);
  console.log(
    `round ${i + 1}: install berth ${last('berthInstall')} / helm ${last('helmInstall')} ms; upgrade ${last('berthUpgrade')} / ${last('helmUpgrade')} ms; rollback ${last('berthRollback')} / ${last('helmRollback')} ms (helm + rollout status ${last('helmRollbackComplete')} ms); diff berth ${last('berthDiff')} / kubectl ${last('kubectlDiff')} ms`,
  );
}

const m = (k: string) => median(times[k] ?? []);
const ratio = (peer: string, berth: string) => (m(peer) / m(berth)).toFixed(2);
console.log(
  `medians of ${rounds}: install ${ratio('helmInstall', 'berthInstall')}x, upgrade ${ratio('helmUpgrade', 'berthUpgrade')}x, rollback ${ratio('helmRollback', 'berthRollback')}x (same guarantee ${ratio('helmRollbackComplete', 'berthRollback')}x), diff ${ratio('kubectlDiff', 'berthDiff')}x (peer ÷ berth)`,
);
const n = rendered.length;
report({
  suite: 'release',
  metric: `vapora (${n} objects) install and Ready, berth apply --wait, median of ${rounds}`,
  unit: 'ms',
  berth: m('berthInstall'),
  peer: 'helm upgrade --install --wait (v3.22.0)',
  peerValue: m('helmInstall'),
  target: 'no slower than Helm',
});
report({
  suite: 'release',
  metric: `vapora upgrade (16 images) and Ready, median of ${rounds}`,
  unit: 'ms',
  berth: m('berthUpgrade'),
  peer: 'helm upgrade --install --wait',
  peerValue: m('helmUpgrade'),
  target: 'no slower than Helm',
});
console.log(
  'what each side waits for: berth rollback --wait = every restored Deployment rolled out (new pods Ready and available, old ReplicaSets scaled to 0, Progressing NewReplicaSetAvailable: kstatus, kubectl rollout status); ' +
    "helm rollback --wait (v3 legacy) = each new ReplicaSet has replicas - maxUnavailable Ready pods (old pods may still run); 'helm + rollout status' adds kubectl rollout status of the Deployments, berth's guarantee",
);
report({
  suite: 'release',
  metric: `vapora rollback to revision 1, rolled out, median of ${rounds} (berth: new pods Ready, old ReplicaSets at 0; Helm: new ReplicaSets Ready)`,
  unit: 'ms',
  berth: m('berthRollback'),
  peer: 'helm rollback --wait',
  peerValue: m('helmRollback'),
  target: '< 10 s and <= 0.5x Helm (ratio >= 2x)',
});
report({
  suite: 'release',
  metric: `vapora rollback to revision 1, same guarantee on both sides, median of ${rounds}`,
  unit: 'ms',
  berth: m('berthRollback'),
  peer: 'helm rollback --wait + kubectl rollout status',
  peerValue: m('helmRollbackComplete'),
  target: '<= 0.5x (ratio >= 2x)',
});
report({
  suite: 'release',
  metric: `vapora diff of the upgrade against the live release, median of ${rounds}`,
  unit: 'ms',
  berth: m('berthDiff'),
  peer: 'kubectl diff -f',
  peerValue: m('kubectlDiff'),
  target: 'no slower than kubectl diff',
});
