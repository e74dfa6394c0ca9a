// The chart case of the audit bench (issue 14): a real-sized chart of our own (the vapora example
// as a templated chart, written by bench/chart-fixture.ts under bench/out) rendered and audited by berth (`berth audit <chart>`, which runs helm itself) vs
// `helm template | kube-score score -` and kube-linter on the chart folder (it renders charts
// itself). Same Helm binary (scripts/setup.sh: ~/.cache/berth/tools/bin/helm), same Kubernetes
// version, default values. Whole processes, median of `runs` alternating runs, in one run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findHelm } from '../src/input/tools.ts';
import { writeVaporaChart } from './chart-fixture.ts';
import { sandboxVersions } from '../src/sandbox/versions.ts';
import { median, measureTool, reportAgainstPeer, type Sample, type Tool } from './measure.ts';

export function benchChart(options: { root: string; peersBin: string; runs: number }): void {
  const { root, peersBin, runs } = options;
  const chart = 'bench/out/vapora-chart';
  const helm = findHelm(process.env);
  if (!helm) {
    console.log('!! chart case: helm not found (run scripts/setup.sh): no chart figures');
    return;
  }
  const templateCount = writeVaporaChart(root, join(root, chart));
  const kube = sandboxVersions().kubernetes;
  const helmArgs = ['template', 'vapora', chart, '--skip-tests', '--kube-version', kube];
  const rendered = execFileSync(helm, helmArgs, { cwd: root, encoding: 'utf8' });
  const objects = rendered.split('\n').filter((l) => l.startsWith('kind:')).length;
  const templates = rendered.split('\n').filter((l) => l.startsWith('# Source:')).length;
  console.log(
    `chart: ${chart} (vapora as a chart, ${templateCount} templates), ${objects} objects from ${templates} rendered templates, helm ${helm}`,
  );

  const kubeScore = join(peersBin, 'kube-score');
  const kubeLinter = join(peersBin, 'kube-linter');
  const tools: Tool[] = [
    {
      name: 'berth',
      command: process.execPath,
      args: [
        process.env.BERTH_BENCH_CLI ?? join(root, 'dist', 'cli', 'main.js'),
        'audit',
        chart,
        '--format',
        'json',
      ],
    },
    {
      name: 'helm template piped to kube-score v1.20.0',
      command: 'sh',
      args: [
        '-c',
        `"$0" ${helmArgs.join(' ')} | "$1" score --output-format json -`,
        helm,
        kubeScore,
      ],
    },
    {
      name: 'kube-linter v0.8.3 (renders the chart)',
      command: kubeLinter,
      args: ['lint', chart, '--format', 'json'],
    },
  ];
  const available = tools.filter((t) => {
    const binary = t.name.startsWith('helm template') ? kubeScore : t.command;
    const ok = binary === process.execPath || existsSync(binary);
    if (!ok)
      console.log(`!! chart case: ${t.name} is not installed at ${binary}: no figure for it`);
    return ok;
  });
  const samples = new Map<string, Sample[]>(available.map((t) => [t.name, []]));
  for (let i = 0; i < runs; i++)
    for (const tool of available) samples.get(tool.name)?.push(measureTool(tool, root));
  const summary = new Map(
    [...samples].map(([name, s]) => [
      name,
      {
        ms: median(s.map((x) => x.ms)),
        cpuMs: median(s.map((x) => x.cpuMs)),
        peakMB: median(s.map((x) => x.peakMB)),
        status: s[0]?.status,
      },
    ]),
  );
  for (const [name, s] of summary)
    console.log(
      `${name.padEnd(40)} wall ${s.ms.toFixed(0).padStart(6)} ms  cpu ${s.cpuMs.toFixed(0).padStart(6)} ms  peak ${s.peakMB.toFixed(0).padStart(4)} MB  exit ${s.status}`,
    );
  const berth = summary.get('berth');
  if (!berth) throw new Error('berth did not run on the chart');
  const label = `chart render + audit, vapora chart (${objects} objects)`;
  for (const [name, s] of summary) {
    if (name === 'berth') continue;
    reportAgainstPeer({
      suite: 'audit',
      label,
      berth,
      peer: name,
      peerSummary: s,
      target: '<= fastest peer',
    });
    console.log(
      `chart case vs ${name}: ${(s.ms / berth.ms).toFixed(2)}x wall, ${(s.cpuMs / berth.cpuMs).toFixed(2)}x CPU`,
    );
  }
}
