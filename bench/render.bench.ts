// Render benchmark: a generated workspace of 1,000 agents (about 9,000 objects), rendered by berth,
// and in the same run synthesized by cdk8s-plus-33 twice: the equivalent Deployments, PVCs and
// Services only (3,000 objects), and every object berth renders per agent (9,000 objects).
// Each side runs in its own process (peak RSS is its own); 3 alternating runs, median reported.
// CPU time is reported beside wall time: on a shared machine it is the steadier of the two.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { report } from './measure.ts';

const AGENTS = 1000;
const RUNS = 3;
const sides = ['berth', 'cdk8s', 'cdk8s-full'] as const;
type Side = (typeof sides)[number];

interface Result {
  ms: number;
  cpuMs: number;
  pipelineMs: number;
  pipelineCpuMs: number;
  peakMB: number;
  objects: number;
  bytes: number;
}

function runSide(side: Side): Result {
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
    { encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  if (result.status !== 0) throw new Error(`${side} worker failed: ${result.stderr}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const runs: Record<Side, Result[]> = { berth: [], cdk8s: [], 'cdk8s-full': [] };
for (let i = 0; i < RUNS; i++) for (const side of sides) runs[side].push(runSide(side));
const fig = (side: Side, key: keyof Result) => median(runs[side].map((r) => r[key]));
const describe = (side: Side) => {
  const r = runs[side][0];
  return `${r?.objects} objects, ${((r?.bytes ?? 0) / 1e6).toFixed(1)} MB of YAML`;
};
console.log(
  `render: ${AGENTS} agents; berth ${describe('berth')}; cdk8s-plus-33 Deployments+PVCs+Services ` +
    `${describe('cdk8s')}; cdk8s-plus-33 every object ${describe('cdk8s-full')}`,
);
const peer = 'cdk8s-plus-33 synth (Deployments, PVCs, Services)';
const peerFull = 'cdk8s-plus-33 synth (every object berth renders)';
report({
  suite: 'render',
  metric: `render wall time, ${AGENTS} agents`,
  unit: 'ms',
  berth: fig('berth', 'ms'),
  peer,
  peerValue: fig('cdk8s', 'ms'),
  target: '< 1000 ms, >= 5x faster',
});
report({
  suite: 'render',
  metric: `render wall time, ${AGENTS} agents, same objects`,
  unit: 'ms',
  berth: fig('berth', 'ms'),
  peer: peerFull,
  peerValue: fig('cdk8s-full', 'ms'),
  target: '>= 5x faster',
});
report({
  suite: 'render',
  metric: `render CPU time, ${AGENTS} agents`,
  unit: 'ms',
  berth: fig('berth', 'cpuMs'),
  peer,
  peerValue: fig('cdk8s', 'cpuMs'),
});
report({
  suite: 'render',
  metric: `render CPU time, ${AGENTS} agents, same objects`,
  unit: 'ms',
  berth: fig('berth', 'cpuMs'),
  peer: peerFull,
  peerValue: fig('cdk8s-full', 'cpuMs'),
});
report({
  suite: 'render',
  metric: `parse + validate + render, ${AGENTS} agents`,
  unit: 'ms',
  berth: fig('berth', 'pipelineMs'),
  peer: peerFull,
  peerValue: fig('cdk8s-full', 'ms'),
  target: '< 600 ms',
});
report({
  suite: 'render',
  metric: `parse + validate + render CPU time, ${AGENTS} agents`,
  unit: 'ms',
  berth: fig('berth', 'pipelineCpuMs'),
  peer: peerFull,
  peerValue: fig('cdk8s-full', 'cpuMs'),
  target: '< 600 ms',
});
report({
  suite: 'render',
  metric: `peak memory, ${AGENTS} agents`,
  unit: 'MB',
  berth: fig('berth', 'peakMB'),
  peer,
  peerValue: fig('cdk8s', 'peakMB'),
  target: '< 300 MB',
});
report({
  suite: 'render',
  metric: `peak memory, ${AGENTS} agents, same objects`,
  unit: 'MB',
  berth: fig('berth', 'peakMB'),
  peer: peerFull,
  peerValue: fig('cdk8s-full', 'peakMB'),
  target: '< 300 MB',
});
