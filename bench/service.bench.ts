// `berth serve` leader takeover (issue 11 §6): two replicas as local processes under the
// generated least-privilege identity, the default lease (10 s); SIGKILL the leader at a random
// point of its renew period, time until the standby's /metrics says it leads; a fresh replica
// replaces the killed one each round. p50/p95/max over BERTH_BENCH_KILLS (10) kills.
// Then the RSS of one replica running the watchdog (all namespaces) and the autoscaler (vapora's
// 12 pools, their store unreachable: it holds) while BERTH_BENCH_SERVE_PODS (5,000) kwok pods
// exist (one Deployment; pods beyond the nodes' capacity stay Pending, still watched).
// BERTH_BENCH_KUBECONFIG (or BERTH_TEST_KUBECONFIG) points at a running cluster, else a sandbox
// is started.
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api } from '@kubernetes/client-node';
import { startSandbox } from '../src/sandbox/index.ts';
import { report } from './measure.ts';

const kills = Number(process.env.BERTH_BENCH_KILLS ?? 10);
const pods = Number(process.env.BERTH_BENCH_SERVE_PODS ?? 5000);
const leaseSeconds = Number(process.env.BERTH_BENCH_LEASE_SECONDS ?? 10);
process.env.BERTH_TEST_KUBECONFIG =
  process.env.BERTH_BENCH_KUBECONFIG ??
  process.env.BERTH_TEST_KUBECONFIG ??
  (await startSandbox({ log: (l) => console.log(`  sandbox: ${l}`) })).kubeconfig;
const s = await import('../test/service/serve-support.ts');

const cleanups: (() => unknown)[] = [];
const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

try {
  const { svc, app, create } = await s.serveNamespaces(
    { after: (fn) => void cleanups.push(fn) },
    'bench-serve',
  );
  await create(s.serviceRbac(svc, app));
  const dir = await s.watchdogFolder(
    // The actions the identity of s.serviceRbac is generated for: the self-audit refuses more.
    `apiVersion: berth.dev/v1alpha1\nkind: Watchdog\nmetadata: { name: bench }\nspec:\n  namespaces: { include: [${app}] }\n  ledgerNamespace: ${svc}\n  actions:\n    - { action: rollout-restart, detectors: [pod-restart-loop], transientOnly: false }\n`,
  );
  const kubeconfig = await s.tokenKubeconfig(svc, 'berth');
  let n = 0;
  const start = () =>
    s.startServe({ identity: `r${n++}`, dir, kubeconfig, namespace: svc, leaseSeconds });
  const procs = [start(), start()];
  cleanups.push(() => procs.forEach((p) => p.child.kill('SIGKILL')));
  const leaderOf = () =>
    s
      .until(
        'one leader',
        async () => {
          const g = await Promise.all(procs.map((p) => p.leaderGauge()));
          const i = g.indexOf(1);
          return i >= 0 && g.filter((x) => x === 1).length === 1 ? i : undefined;
        },
        60_000,
      )
      .catch((error: unknown) => {
        // Say why (each replica's last lines), not only that no leader came.
        for (const p of procs) console.log(`  ${p.identity}: ${p.lines.slice(-8).join('\n    ')}`);
        throw error;
      });
  const taken: number[] = [];
  for (let k = 0; k < kills; k++) {
    const i = await leaderOf();
    const other = procs[1 - i]!;
    await s.until('the standby serving', () => other.url(), 60_000);
    await sleep((Math.random() * (leaseSeconds * 1000)) / 3); // anywhere in the renew period
    const killedAt = Date.now();
    procs[i]!.child.kill('SIGKILL');
    await s.until(
      'takeover',
      async () => ((await other.leaderGauge()) === 1 ? true : undefined),
      60_000,
      100,
    );
    taken.push(Date.now() - killedAt);
    console.log(`  kill ${k + 1}: takeover after ${taken.at(-1)} ms`);
    procs[i] = start();
  }
  const suite = 'service';
  const target = '< 20000 ms (p95)';
  report({
    suite,
    metric: `leader takeover after SIGKILL, p50 (${kills} kills, lease ${leaseSeconds} s)`,
    unit: 'ms',
    berth: pct(taken, 50),
    target,
  });
  report({
    suite,
    metric: `leader takeover after SIGKILL, p95 (${kills} kills, lease ${leaseSeconds} s)`,
    unit: 'ms',
    berth: pct(taken, 95),
    target,
  });
  report({
    suite,
    metric: `leader takeover after SIGKILL, max (${kills} kills)`,
    unit: 'ms',
    berth: Math.max(...taken),
  });
  for (const p of procs) p.child.kill('SIGKILL');

  // RSS with the watchdog and the autoscaler running against `pods` pods.
  const { testKubeconfig, testKubeConfig } = await import('../test/support/cluster.ts');
  const apps = testKubeConfig().makeApiClient(AppsV1Api);
  const { deployment } = await import('../test/watchdog/support.ts');
  await apps.createNamespacedDeployment({
    namespace: app,
    body: {
      ...deployment('many', { replicas: pods }),
      metadata: { name: 'many', namespace: app },
    },
  });
  await s.until(
    `${pods} pods created`,
    async () =>
      (await apps.readNamespacedDeployment({ name: 'many', namespace: app })).status?.replicas ===
      pods
        ? true
        : undefined,
    15 * 60_000,
    2_000,
  );
  const both = await s.watchdogFolder(
    `apiVersion: berth.dev/v1alpha1\nkind: Watchdog\nmetadata: { name: bench }\nspec:\n  ledgerNamespace: ${svc}\n  dryRun: true\n`,
  );
  await cp(join(import.meta.dirname, '..', 'examples', 'vapora'), join(both, 'vapora'), {
    recursive: true,
  });
  const one = s.startServe({
    identity: 'rss',
    // As shipped: the bundle (tsx would add its compiler to the figure).
    built: existsSync(join(import.meta.dirname, '..', 'dist', 'cli', 'main.js')),
    dir: both,
    kubeconfig: testKubeconfig(),
    namespace: svc,
    leaseSeconds,
    extra: [
      '--allow-excess-power',
      '--endpoint',
      'nats=nats://127.0.0.1:1',
      '--endpoint',
      'redis=redis://127.0.0.1:1',
    ],
  });
  cleanups.push(() => one.child.kill('SIGKILL'));
  const url = await s.until(
    'the measured replica serving',
    () => {
      if (one.child.exitCode !== null) throw new Error(one.lines.join('\n'));
      return one.url();
    },
    5 * 60_000,
    1_000,
  );
  await sleep(30_000); // informers settled, a few autoscaler rounds, a metrics poll
  const text = await (await fetch(`${url}/metrics`)).text();
  const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]) / 2 ** 20;
  const pools = (text.match(/^berth_autoscaler_queue_depth_known\{/gm) ?? []).length;
  console.log(
    `  RSS ${rss.toFixed(1)} MB with ${pods} pods, ${pools} autoscaled pools (${existsSync(join(import.meta.dirname, '..', 'dist', 'cli', 'main.js')) ? 'the build' : 'sources through tsx'})`,
  );
  report({
    suite,
    metric: `RSS, watchdog + autoscaler (${pools} pools), ${pods} kwok pods`,
    unit: 'MB',
    berth: rss,
    target: '< 200 MB (at 5,000 pods)',
  });
} finally {
  for (const c of cleanups.reverse()) await c();
}
process.exit(0);
