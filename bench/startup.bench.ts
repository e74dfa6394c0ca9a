// Start-up benchmark: how long `berth --version` and `berth audit` of one small file take next to a
// bare `node -e 0`, the floor any Node CLI pays. Runs the published entry (bin/berth.js, which
// loads the bundle `npm run build` writes). The three commands are run interleaved, RUNS times
// each, so machine load hits them alike; medians are reported, and the ratio to `node -e 0`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './measure.ts';

const RUNS = 21;
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'berth.js');
if (!existsSync(join(root, 'dist', 'cli', 'main.js')))
  throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');

const dir = mkdtempSync(join(tmpdir(), 'berth-startup-'));
const manifest = join(dir, 'deployment.yaml');
writeFileSync(
  manifest,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
`,
);

const cases = {
  node: ['-e', '0'],
  version: [bin, '--version'],
  audit: [bin, 'audit', manifest, '--fail-on', 'none'],
} as const;
type Case = keyof typeof cases;

// The code cache of `berth audit` (ADR 0052) in a folder of this run: other builds audited on
// the same machine meanwhile cannot evict it (three builds are kept per cache folder).
const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };

function once(name: Case): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, cases[name], { encoding: 'utf8', cwd: dir, env });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`${name} exited ${result.status}: ${result.stderr || result.stdout}`);
  return ms;
}

const times: Record<Case, number[]> = { node: [], version: [], audit: [] };
for (const name of Object.keys(cases) as Case[]) once(name); // warm the file cache
for (let i = 0; i < RUNS; i++)
  for (const name of Object.keys(cases) as Case[]) times[name].push(once(name));
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const node = median(times.node);
for (const [name, metric] of [
  ['version', 'berth --version'],
  ['audit', 'berth audit of one small file'],
] as const) {
  const ms = median(times[name]);
  console.log(
    `startup: ${metric} ${ms.toFixed(0)} ms = ${(ms / node).toFixed(2)}x node -e 0 (${node.toFixed(0)} ms)`,
  );
  report({
    suite: 'startup',
    metric: `${metric}, wall, median of ${RUNS} (berth ÷ node = ${(ms / node).toFixed(2)}x)`,
    unit: 'ms',
    berth: ms,
    peer: 'node -e 0',
    peerValue: node,
    target: 'berth <= 1.3x node -e 0 (peer ÷ berth >= 0.77x)',
  });
}
