// Render benchmark: a generated workspace of 1,000 agents (about 9,000 objects), rendered by berth
// and, in the same run, the equivalent Deployments, PVCs and Services synthesized by cdk8s-plus-33.
// Each side runs in its own process (peak RSS is its own); 5 alternating runs, median reported.
// CPU time is reported beside wall time: on a shared machine it is the steadier of the two.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { report } from './measure.ts';

const AGENTS = 1000;
const RUNS = 5;

interface Result {
  ms: number;
  cpuMs: number;
  pipelineMs: number;
  peakMB: number;
  objects: number;
  bytes: number;
}

function runSide(side: 'berth' | 'cdk8s'): Result {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      join(import.meta.dirname, 'render-worker.ts'),
      side,
      String(AGENTS),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    },
  );
  if (result.status !== 0) throw new Error(`${side} worker failed: ${result.stderr}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const berth: Result[] = [];
const cdk8s: Result[] = [];
for (let i = 0; i < RUNS; i++) {
  berth.push(runSide('berth'));
  cdk8s.push(runSide('cdk8s'));
}
const b = {
  cpuMs: median(berth.map((r) => r.cpuMs)),
  ms: median(berth.map((r) => r.ms)),
  pipelineMs: median(berth.map((r) => r.pipelineMs)),
  peakMB: median(berth.map((r) => r.peakMB)),
};
const c = {
  ms: median(cdk8s.map((r) => r.ms)),
  cpuMs: median(cdk8s.map((r) => r.cpuMs)),
  peakMB: median(cdk8s.map((r) => r.peakMB)),
};
console.log(
  `render: ${AGENTS} agents; berth ${berth[0]?.objects} objects (${((berth[0]?.bytes ?? 0) / 1e6).toFixed(1)} MB of YAML), ` +
    `cdk8s-plus-33 ${cdk8s[0]?.objects} objects (Deployments, PVCs, Services only)`,
);
report({
  suite: 'render',
  metric: `render CPU time, ${AGENTS} agents`,
  unit: 'ms',
  berth: b.cpuMs,
  peer: 'cdk8s-plus-33 synth',
  peerValue: c.cpuMs,
});
report({
  suite: 'render',
  metric: `render wall time, ${AGENTS} agents`,
  unit: 'ms',
  berth: b.ms,
  peer: 'cdk8s-plus-33 synth',
  peerValue: c.ms,
  target: '< 1000 ms, >= 5x faster',
});
report({
  suite: 'render',
  metric: `parse + validate + render, ${AGENTS} agents`,
  unit: 'ms',
  berth: b.pipelineMs,
  peer: 'cdk8s-plus-33 synth',
  peerValue: c.ms,
});
report({
  suite: 'render',
  metric: `peak memory, ${AGENTS} agents`,
  unit: 'MB',
  berth: b.peakMB,
  peer: 'cdk8s-plus-33 synth',
  peerValue: c.peakMB,
  target: '< 300 MB',
});
