// Audit benchmark: a generated corpus of about 5,000 objects in 1,045 files, audited by berth
// (the built CLI, `node dist/cli/main.js audit`: schema validation and every check) and, in the
// same run and on the same files, by kubeconform (schemas generated locally from the same
// OpenAPI), kube-linter, kube-score and Polaris (installed by bench/install-peers.sh with `go install` at
// pinned versions, outside git). Whole-process wall time, CPU time (user + sys, the steadier
// figure on a shared machine) and peak RSS, median of RUNS alternating runs.
// Target: berth no slower than the fastest peer.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { SchemaSet } from '../src/audit/schema/types.ts';
import { writeAuditCorpus } from './audit-corpus.ts';
import { writeKubeconformSchemas } from './kubeconform-schemas.ts';
import { benchChart } from './audit-chart.ts';
import {
  median,
  measureTool,
  report,
  reportAgainstPeer,
  type Sample,
  type Tool,
} from './measure.ts';

const RUNS = Number(process.env.BERTH_BENCH_RUNS ?? 3);
const NAMESPACES = 95; // 53 objects each
const root = join(import.meta.dirname, '..');
const corpus = join(root, 'bench', 'out', 'audit-corpus');
const peersBin = process.env.BERTH_PEERS_BIN ?? join(homedir(), '.cache', 'berth', 'peers', 'bin');

const install = spawnSync('sh', [join(root, 'bench', 'install-peers.sh')], {
  encoding: 'utf8',
  env: { ...process.env, BERTH_PEERS_BIN: peersBin },
});
console.log(`${install.stdout}${install.stderr}`.trim());

const { files, objects } = writeAuditCorpus(corpus, NAMESPACES);
console.log(`corpus: ${objects} objects in ${files.length} files (${corpus})`);

const relative = files.map((f) => f.slice(root.length + 1));
// kubeconform validates against JSON schemas made from the same schema berth ships.
const schemaSet = JSON.parse(
  readFileSync(join(root, 'src', 'audit', 'schema', 'data', 'kubernetes.json'), 'utf8'),
) as SchemaSet;
const schemaLocation = writeKubeconformSchemas(
  schemaSet,
  join(root, 'bench', 'out', 'kubeconform-schemas'),
);
// berth's code cache (ADR 0052) in a folder of this run, so that other builds audited on the same
// machine meanwhile cannot evict it; `env` costs one exec.
const codeCache = `XDG_CACHE_HOME=${join(root, 'bench', 'out', 'code-cache')}`;
// BERTH_BENCH_CLI: another build of the CLI than dist/ (a copy built elsewhere), so a bench can run
// while others' tests use dist/.
const cli = process.env.BERTH_BENCH_CLI ?? join(root, 'dist', 'cli', 'main.js');
const tools: Tool[] = [
  {
    name: 'berth',
    command: 'env',
    args: [codeCache, process.execPath, cli, 'audit', 'bench/out/audit-corpus', '--format', 'json'],
  },
  {
    name: 'berth schema only',
    command: 'env',
    args: [
      codeCache,
      process.execPath,
      cli,
      'audit',
      'bench/out/audit-corpus',
      '--format',
      'json',
      '--include',
      'schema-validation',
    ],
  },
  {
    name: 'kubeconform v0.8.0',
    command: join(peersBin, 'kubeconform'),
    args: [
      '-schema-location',
      schemaLocation,
      '-strict',
      '-output',
      'json',
      'bench/out/audit-corpus',
    ],
  },
  {
    name: 'kube-linter v0.8.3',
    command: join(peersBin, 'kube-linter'),
    args: ['lint', 'bench/out/audit-corpus', '--format', 'json'],
  },
  {
    name: 'kube-score v1.20.0',
    command: join(peersBin, 'kube-score'),
    args: ['score', '--output-format', 'json', ...relative],
  },
  {
    name: 'polaris v10.2.2',
    command: join(peersBin, 'polaris'),
    args: ['audit', '--audit-path', 'bench/out/audit-corpus', '--format', 'json'],
  },
];
const available = tools.filter((t) => {
  const ok = t.command === 'env' || existsSync(t.command);
  if (!ok)
    console.log(
      `!! ${t.name}: not installed at ${t.command}, no figure for it (see bench/install-peers.sh output above)`,
    );
  return ok;
});

// Peers that cannot be built here are compared against their last measured figure, labelled as
// such: kube-linter's module path (golang.stackrox.io) is not served by the Go module proxy this
// machine reaches (`go install` gets 403), so no figure of it can be measured in this run.
const recorded: Record<string, { ms: number; cpuMs: number; peakMB: number; when: string }> = {
  'kube-linter v0.8.3': {
    ms: 1920,
    cpuMs: 2370,
    peakMB: 93.1,
    when: 'recorded 2026-12-02 on a quiet machine (bench/RESULTS.md), not measured in this run',
  },
};
const recordedPeers: [string, { ms: number; cpuMs: number; peakMB: number }][] = [];
for (const t of tools) {
  const figure = recorded[t.name];
  if (available.includes(t) || !figure) continue;
  console.log(`!! ${t.name}: compared against its figure ${figure.when}`);
  recordedPeers.push([`${t.name} (${figure.when})`, figure]);
}

const samples = new Map<string, Sample[]>(available.map((t) => [t.name, []]));
for (let i = 0; i < RUNS; i++) {
  for (const tool of available) samples.get(tool.name)?.push(measureTool(tool, root));
}
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
for (const [name, s] of summary) {
  console.log(
    `${name.padEnd(20)} wall ${s.ms.toFixed(0).padStart(6)} ms  cpu ${s.cpuMs.toFixed(0).padStart(6)} ms  peak ${s.peakMB.toFixed(0).padStart(4)} MB  exit ${s.status}`,
  );
}
const berth = summary.get('berth');
if (!berth) throw new Error('berth did not run');
const schemaOnly = summary.get('berth schema only');
const kubeconform = summary.get('kubeconform v0.8.0');
if (schemaOnly && kubeconform)
  report({
    suite: 'audit',
    metric: `schema validation only, ${objects} objects`,
    unit: 'ms',
    berth: schemaOnly.ms,
    peer: 'kubeconform v0.8.0',
    peerValue: kubeconform.ms,
  });
const peers = [...[...summary].filter(([name]) => !name.startsWith('berth')), ...recordedPeers];
const label = `${objects} objects`;
for (const [name, s] of peers)
  reportAgainstPeer({
    suite: 'audit',
    label,
    berth,
    peer: name,
    peerSummary: s,
    target: '<= fastest peer',
  });
const fastest = peers.sort(([, a], [, b]) => a.ms - b.ms)[0];
if (fastest) {
  const ok = berth.ms <= fastest[1].ms;
  console.log(
    `target (no slower than the fastest peer, ${fastest[0]}): ${ok ? 'met' : 'NOT met'} — ${(fastest[1].ms / berth.ms).toFixed(2)}x`,
  );
}

// Issue 12's memory goal: peak memory at or below kube-linter's (measured, or its recorded figure).
const linter = peers.find(([name]) => name.startsWith('kube-linter'));
if (linter)
  console.log(
    `target (peak memory <= ${linter[0]}): ${berth.peakMB <= linter[1].peakMB ? 'met' : 'NOT met'} — ${berth.peakMB.toFixed(1)} vs ${linter[1].peakMB.toFixed(1)} MB`,
  );

// The chart case (issue 14): render + audit a real chart vs helm template | kube-score, kube-linter.
benchChart({ root, peersBin, runs: RUNS });
